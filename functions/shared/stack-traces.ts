/**
 * Stack traces through a bundle's source map, read when a stack is first printed rather than when the
 * bundle loads. Node's `--enable-source-maps` reads and parses the map of every module as it loads (about
 * a sixth of a function's init, ADR 10); most environments never print a stack. This prints exactly what
 * Node prints with that flag (test/infra/stack-traces.test.ts compares the two), and the esbuild options
 * inject it first into every bundle (lib/app/bundling.ts).
 *
 * Written here because no maintained library maps on demand in Node's own format (`source-map-support`
 * formats frames its own way and bundles its own decoder); the decoding is Node's `SourceMap`.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const SOURCE_MAPPING_URL = /\/[*/]#\s+sourceMappingURL=(?<url>[^\s]+)/g;
const maps = new Map<string, SourceMap | undefined>();

/** The map of a file from its last `sourceMappingURL` comment, resolved like Node resolves it. */
function readSourceMap(fileName: string): SourceMap | undefined {
  if (!fileName.startsWith('file://')) return undefined;
  const source = readFileSync(fileURLToPath(fileName), 'utf8');
  const url = [...source.matchAll(SOURCE_MAPPING_URL)].pop()?.groups?.url;
  // Inline (`data:`) maps are not used by the bundles.
  if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
  const mapUrl = new URL(url, fileName).href;
  const payload = JSON.parse(readFileSync(fileURLToPath(mapUrl), 'utf8')) as {
    sources: string[];
    sourceRoot?: string;
  };
  payload.sources = payload.sources.map((s) => new URL((payload.sourceRoot ?? '') + s, mapUrl).href);
  return new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
}

function sourceMapOf(fileName: string | undefined): SourceMap | undefined {
  if (!fileName) return undefined;
  if (!maps.has(fileName)) {
    let map: SourceMap | undefined;
    try {
      map = readSourceMap(fileName);
    } catch {
      // A frame without a readable map is printed as V8 prints it, as Node does.
    }
    maps.set(fileName, map);
  }
  return maps.get(fileName);
}

type Entry = { originalSource?: string; originalLine: number; originalColumn: number; name?: string };

/** The original position of a generated one (1-based, as stack frames count), if the map has one. */
function entryAt(map: SourceMap, line: number | null, column: number | null): Entry {
  return map.findEntry((line ?? 0) - 1, (column ?? 0) - 1) as Entry;
}

/** A name the minifier dropped: from the enclosing function's mapping, else from the calling frame's. */
function originalSymbolName(map: SourceMap, trace: NodeJS.CallSite[], index: number): string | undefined {
  const site = trace[index]!;
  const enclosing = entryAt(map, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber());
  if (enclosing.name) return enclosing.name;
  const next = trace[index + 1];
  if (!next || next.getFileName() !== site.getFileName()) return undefined;
  return entryAt(map, next.getLineNumber(), next.getColumnNumber()).name;
}

function frame(site: NodeJS.CallSite, trace: NodeJS.CallSite[], index: number): string {
  try {
    const map = sourceMapOf(site.getFileName() ?? site.getEvalOrigin());
    const entry = map && entryAt(map, site.getLineNumber(), site.getColumnNumber());
    if (map && entry?.originalSource) {
      const name = originalSymbolName(map, trace, index);
      const typeName = site.getTypeName();
      const prefix = typeName !== null && typeName !== 'global' ? `${typeName}.` : '';
      const ownName = `${prefix}${(site.getFunctionName() ?? site.getMethodName()) || '<anonymous>'}`;
      const file = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : entry.originalSource;
      const at = `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      const kind = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
      return `${kind}${name && name !== ownName ? name : ownName} (${at})`;
    }
  } catch {
    // As Node does: a frame that cannot be mapped is printed unmapped.
  }
  return String(site);
}

/** Node's own errors (those it marks `kIsNodeError`, a symbol it does not export) carry their code. */
function isNodeError(error: object): boolean {
  for (let o: object | null = error; o; o = Object.getPrototypeOf(o) as object | null)
    if (Object.getOwnPropertySymbols(o).some((s) => s.description === 'kIsNodeError')) return true;
  return false;
}

function prepareStackTrace(error: Error & { code?: unknown }, trace: NodeJS.CallSite[]): string {
  const head = isNodeError(error)
    ? `${error.name} [${String(error.code)}]: ${error.message}`
    : Error.prototype.toString.call(error);
  return trace.length === 0
    ? head
    : `${head}${trace.map((site, i) => `\n    at ${frame(site, trace, i)}`).join('')}`;
}

// Where Node maps stacks itself (the flag is set), it is left to do so.
if (!process.sourceMapsEnabled) Error.prepareStackTrace = prepareStackTrace;
