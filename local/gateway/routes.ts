/**
 * Route matching as API Gateway REST does it: resources form a tree of path segments; at each level a
 * literal segment wins over a `{param}` segment; a resource that exists without the requested method is
 * not a 405 but the same "Missing Authentication Token" answer as an unknown path (there is no 405 in a
 * REST API). Every prefix of a route is a resource too (CDK's `resourceForPath` creates /v1, /v1/admin, ...),
 * without methods of its own but with the CORS preflight. Sibling variables must share one name, as API
 * Gateway refuses `/a/{x}` next to `/a/{y}` at deploy.
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
  /** The path is a resource (perhaps only a prefix of routes), but it has no such method. */
  | { readonly kind: 'resource'; readonly resource: string; readonly methods: readonly string[] }
  | { readonly kind: 'none' };

interface Node<T> {
  /** The resource's path template, e.g. /v1/products/{productId}. */
  readonly resource: string;
  readonly literals: Map<string, Node<T>>;
  variable?: { readonly name: string; readonly node: Node<T> };
  readonly methods: Map<string, T>;
}

const newNode = <T>(resource: string): Node<T> => ({ resource, literals: new Map(), methods: new Map() });
const child = (parent: string, segment: string) => (parent === '/' ? `/${segment}` : `${parent}/${segment}`);
const VARIABLE = /^\{([A-Za-z0-9_]+)\}$/;

export class RouteTable<T> {
  private readonly root = newNode<T>('/');

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
        node.variable ??= { name, node: newNode<T>(child(node.resource, segment)) };
        node = node.variable.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) node.literals.set(segment, (next = newNode<T>(child(node.resource, segment))));
        node = next;
      }
    }
    const upper = method.toUpperCase();
    if (node.methods.has(upper)) throw new Error(`Duplicate route ${upper} ${path}`);
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
    const found = find(this.root, segments, 0);
    if (!found) return { kind: 'none' };
    const { node, params } = found;
    const value = node.methods.get(method.toUpperCase());
    if (value === undefined)
      return { kind: 'resource', resource: node.resource, methods: [...node.methods.keys()] };
    return { kind: 'route', value, resource: node.resource, pathParameters: params };
  }

  /** Every resource template with its methods (prefixes without methods included). */
  resources(): { resource: string; methods: string[] }[] {
    const out: { resource: string; methods: string[] }[] = [];
    const walk = (node: Node<T>) => {
      out.push({ resource: node.resource, methods: [...node.methods.keys()] });
      for (const child of node.literals.values()) walk(child);
      if (node.variable) walk(node.variable.node);
    };
    walk(this.root);
    return out;
  }
}

/**
 * Depth-first: the literal child first, then the variable child (backtracking when the literal branch has
 * no such resource, or only a route-less prefix where the variable branch has a route).
 */
function find<T>(node: Node<T>, segments: string[], i: number): Found<T> | undefined {
  if (i === segments.length) return { node, params: {} };
  const segment = segments[i] as string;
  const literal = node.literals.get(segment);
  const viaLiteral = literal ? find(literal, segments, i + 1) : undefined;
  if (viaLiteral && viaLiteral.node.methods.size > 0) return viaLiteral;
  if (node.variable && segment !== '') {
    const viaVariable = find(node.variable.node, segments, i + 1);
    if (viaVariable && (viaVariable.node.methods.size > 0 || !viaLiteral)) {
      return { node: viaVariable.node, params: { ...viaVariable.params, [node.variable.name]: segment } };
    }
  }
  return viaLiteral;
}

interface Found<T> {
  readonly node: Node<T>;
  readonly params: Record<string, string>;
}

/** '/v1/products/' and '/v1/products' are the same resource; '/' has no segments. */
function segmentsOf(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
