/**
 * Where a function's module load goes, from a V8 CPU profile of it (bench/cold-start-child.mjs with a
 * profile file): each sample's time is given to what ran, mapped back through the bundle's source map to
 * the package or Zepto folder it came from. V8's compile of the module source and Node's source-map
 * loading are their own rows, since they scale with the bundle's size rather than with what its code does.
 * No maintained library maps a profile to packages through a source map; Node's own `SourceMap` does the
 * mapping.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The rows of the breakdown, in report order. */
export const INIT_PARTS = [
  'V8 compile',
  'source maps',
  'AWS SDK',
  'zod',
  'Powertools',
  'middy',
  'Zepto runtime',
  'service code',
  'other packages',
  'Node (loader, built-ins)',
  'GC',
  'unattributed',
] as const;
export type InitPart = (typeof INIT_PARTS)[number];

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)/;

function packagePart(pkg: string): InitPart {
  if (/^@(aws-sdk|smithy|aws-crypto)\//.test(pkg)) return 'AWS SDK';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (pkg.startsWith('@middy/')) return 'middy';
  return 'other packages';
}

/** Milliseconds per part of one profiled module load. */
export function initBreakdown(profileFile: string): Record<InitPart, number> {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const maps = new Map<string, SourceMap | undefined>();
  const sourceMap = (url: string) => {
    if (!maps.has(url)) {
      const file = `${fileURLToPath(url)}.map`;
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(file, 'utf8'))));
      } catch {
        maps.set(url, undefined);
      }
    }
    return maps.get(url);
  };
  const under = (id: number, name: string) => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
      if (nodes.get(at)?.callFrame.functionName === name) return true;
    return false;
  };
  const partOf = (node: ProfileNode): InitPart => {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    if (under(node.id, 'maybeCacheSourceMap')) return 'source maps';
    if (functionName === 'compileSourceTextModule') return 'V8 compile';
    if (url.startsWith('node:')) return 'Node (loader, built-ins)';
    if (functionName === '(garbage collector)') return 'GC';
    // V8's own work outside any script ("(program)"), natives, and positions the source map does not cover.
    if (!url.startsWith('file:')) return 'unattributed';
    const entry = sourceMap(url)?.findEntry(lineNumber, columnNumber);
    const source = entry && 'originalSource' in entry ? entry.originalSource : '';
    const pkg = PACKAGE.exec(source)?.[1];
    if (pkg) return packagePart(pkg);
    if (source.includes('/functions/shared/')) return 'Zepto runtime';
    if (source.includes('/functions/')) return 'service code';
    return 'unattributed';
  };

  const parts = Object.fromEntries(INIT_PARTS.map((p) => [p, 0])) as Record<InitPart, number>;
  // timeDeltas[i + 1] is the time until the next sample: the time sample i stood for.
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (node && node.callFrame.functionName !== '(idle)')
      parts[partOf(node)] += (profile.timeDeltas[i + 1] ?? 0) / 1000;
  });
  return parts;
}
