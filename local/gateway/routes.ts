/**
 * Route matching as API Gateway REST does it: resources form a tree of path segments; at each level a
 * literal segment wins over a `{param}` segment; a resource that exists without the requested method is
 * not a 405 but the same 403 "Missing Authentication Token" as an unknown path (there is no 405 in a REST
 * API). Sibling variables must share one name, as API Gateway refuses `/a/{x}` next to `/a/{y}` at deploy.
 */

export interface RouteEntry<T> {
  readonly method: string;
  /** API Gateway path template, e.g. /v1/products/{productId}. */
  readonly path: string;
  readonly value: T;
}

export type RouteMatch<T> =
  | {
      readonly kind: 'route';
      readonly value: T;
      /** The template that matched (API Gateway's `resource`). */
      readonly resource: string;
      readonly pathParameters: Record<string, string>;
    }
  /** The path is a resource, but it has no such method. */
  | { readonly kind: 'resource'; readonly resource: string; readonly methods: readonly string[] }
  | { readonly kind: 'none' };

interface Node<T> {
  readonly literals: Map<string, Node<T>>;
  variable?: { readonly name: string; readonly node: Node<T> };
  /** Set when a route ends here: the template and its methods. */
  resource?: string;
  readonly methods: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ literals: new Map(), methods: new Map() });
const VARIABLE = /^\{([A-Za-z0-9_]+)\}$/;

export class RouteTable<T> {
  private readonly root = newNode<T>();

  constructor(entries: Iterable<RouteEntry<T>>) {
    for (const entry of entries) this.add(entry);
  }

  private add({ method, path, value }: RouteEntry<T>): void {
    if (!path.startsWith('/')) throw new Error(`Route path must start with '/': ${path}`);
    let node = this.root;
    for (const segment of segmentsOf(path)) {
      if (segment.includes('{')) {
        const name = VARIABLE.exec(segment)?.[1];
        if (!name)
          throw new Error(`Unsupported path segment '${segment}' in ${path} (only whole-segment {name})`);
        if (node.variable && node.variable.name !== name)
          throw new Error(
            `Conflicting path variables {${node.variable.name}} and {${name}} at the same level (${path}); API Gateway refuses this`,
          );
        node.variable ??= { name, node: newNode<T>() };
        node = node.variable.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) node.literals.set(segment, (next = newNode<T>()));
        node = next;
      }
    }
    const upper = method.toUpperCase();
    if (node.methods.has(upper)) throw new Error(`Duplicate route ${upper} ${path}`);
    node.resource ??= normalise(path);
    node.methods.set(upper, value);
  }

  /** Matches a raw (still percent-encoded) request path, without its query string. */
  match(method: string, rawPath: string): RouteMatch<T> {
    let segments: string[];
    try {
      segments = segmentsOf(rawPath).map((s) => decodeURIComponent(s));
    } catch {
      return { kind: 'none' };
    }
    const params: Record<string, string> = {};
    const node = find(this.root, segments, 0, params);
    if (!node?.resource) return { kind: 'none' };
    const value = node.methods.get(method.toUpperCase());
    if (value === undefined)
      return { kind: 'resource', resource: node.resource, methods: [...node.methods.keys()] };
    return { kind: 'route', value, resource: node.resource, pathParameters: params };
  }

  /** Every resource template with its methods (for CORS preflights and diagnostics). */
  resources(): { resource: string; methods: string[] }[] {
    const out: { resource: string; methods: string[] }[] = [];
    const walk = (node: Node<T>) => {
      if (node.resource) out.push({ resource: node.resource, methods: [...node.methods.keys()] });
      for (const child of node.literals.values()) walk(child);
      if (node.variable) walk(node.variable.node);
    };
    walk(this.root);
    return out;
  }
}

/** Depth-first: the literal child first, then the variable child (backtracking if the literal leads nowhere). */
function find<T>(
  node: Node<T>,
  segments: string[],
  i: number,
  params: Record<string, string>,
): Node<T> | undefined {
  if (i === segments.length) return node.resource ? node : undefined;
  const segment = segments[i] as string;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = find(literal, segments, i + 1, params);
    if (found) return found;
  }
  if (node.variable && segment !== '') {
    const found = find(node.variable.node, segments, i + 1, params);
    if (found) {
      params[node.variable.name] = segment;
      return found;
    }
  }
  return undefined;
}

/** '/v1/products/' and '/v1/products' are the same resource; '/' has no segments. */
function segmentsOf(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function normalise(path: string): string {
  const segments = segmentsOf(path);
  return `/${segments.join('/')}`;
}
