/**
 * Bundles every function's handler exactly as CDK ships it: `functionBuildOptions` (lib/app/bundling.ts) is
 * the one esbuild configuration of lib/constructs/service-function.ts, the local runtime and the benchmarks.
 * One build per function (a function's chunks must hold only its own code, as in its Lambda artefact),
 * all started at once so esbuild works on them in parallel.
 *
 * With `reuse`, a build whose inputs (every source file esbuild read, by size and mtime), functions and
 * options are unchanged since the last one in the same folder is kept instead of rebuilt: a warm restart
 * of `npm start` skips bundling.
 */
import {
  build,
  stop as stopEsbuild,
  version as esbuildVersion,
  type BuildFailure,
  type Metafile,
} from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BUNDLE_ENTRY_FILE, functionBuildOptions } from '../../lib/app/bundling';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface BundleInput {
  readonly name: string;
  /** Handler file relative to `root`. */
  readonly entry: string;
}

export interface BundleOptions {
  /** Output folder; each function gets `<outDir>/<name>/` with `index.mjs` (+ .map, chunks/), like its Lambda asset. */
  readonly outDir: string;
  /** Project root (package.json, tsconfig.json); default the repository root. */
  readonly root?: string;
  /** Keep the previous build in `outDir` when nothing it was built from has changed. */
  readonly reuse?: boolean;
}

export interface BundleResult {
  /** Bundle file (index.mjs) by function name. */
  readonly files: Map<string, string>;
  /** esbuild's metafile by function name (not kept when the previous build is reused). */
  readonly metafiles: Map<string, Metafile>;
  /** True when the previous build was kept. */
  readonly reused: boolean;
}

interface BuildRecord {
  readonly key: string;
  /** Input path (relative to root) → "size:mtimeMs". */
  readonly inputs: Record<string, string>;
}

const RECORD_FILE = 'build-inputs.json';
let buildsInFlight = 0;
/** Files that change how sources resolve without being sources themselves. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];

export async function bundle(functions: readonly BundleInput[], opts: BundleOptions): Promise<BundleResult> {
  const root = opts.root ?? REPO_ROOT;
  const files = new Map(functions.map((fn) => [fn.name, join(opts.outDir, fn.name, BUNDLE_ENTRY_FILE)]));
  const builds = functions.map((fn) => ({
    name: fn.name,
    options: functionBuildOptions({ entry: fn.entry, outDir: join(opts.outDir, fn.name), root }),
  }));
  const key = createHash('sha256').update(JSON.stringify({ esbuildVersion, builds })).digest('hex');
  const metafiles = new Map<string, Metafile>();
  if (opts.reuse && (await unchanged(opts.outDir, key, root, [...files.values()])))
    return { files, metafiles, reused: true };

  await rm(opts.outDir, { recursive: true, force: true });
  await mkdir(opts.outDir, { recursive: true });
  if (functions.length === 0) return { files, metafiles, reused: false };
  buildsInFlight++;
  try {
    const results = await Promise.all(builds.map((b) => build(b.options)));
    builds.forEach((b, i) => metafiles.set(b.name, results[i]!.metafile!));
  } catch (err) {
    const failure = err as Partial<BuildFailure>;
    const details = (failure.errors ?? [])
      .slice(0, 10)
      .map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
      .join('\n');
    throw new Error(`Bundling the functions failed:\n${details || String(err)}`, { cause: err });
  } finally {
    // esbuild's service process keeps the memory of the builds (~700 MB for all functions) while it lives;
    // nothing else needs it, and the next build starts a new one.
    if (--buildsInFlight === 0) await stopEsbuild();
  }
  if (opts.reuse) {
    const inputs = [...new Set([...metafiles.values()].flatMap((m) => Object.keys(m.inputs)))];
    const record: BuildRecord = { key, inputs: await fingerprints(root, [...inputs, ...PROJECT_FILES]) };
    await writeFile(join(opts.outDir, RECORD_FILE), JSON.stringify(record));
  }
  return { files, metafiles, reused: false };
}

/** The output files a cold start loads: the entry file and every chunk it reaches by static imports. */
export function loadedAtInit(meta: Metafile): string[] {
  const entry = Object.keys(meta.outputs).find((o) => o.endsWith(`/${BUNDLE_ENTRY_FILE}`));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of meta.outputs[file]?.imports ?? [])
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  if (entry) visit(entry);
  return [...seen];
}

export const bytesLoadedAtInit = (meta: Metafile): number =>
  loadedAtInit(meta).reduce((sum, file) => sum + (meta.outputs[file]?.bytes ?? 0), 0);

async function unchanged(outDir: string, key: string, root: string, outputs: string[]): Promise<boolean> {
  const recordFile = join(outDir, RECORD_FILE);
  if (!existsSync(recordFile) || !outputs.every((f) => existsSync(f))) return false;
  try {
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as BuildRecord;
    if (record.key !== key) return false;
    const now = await fingerprints(root, Object.keys(record.inputs));
    return Object.entries(record.inputs).every(([file, print]) => now[file] === print);
  } catch {
    return false;
  }
}

async function fingerprints(root: string, inputs: string[]): Promise<Record<string, string>> {
  const prints: Record<string, string> = {};
  await Promise.all(
    inputs.map(async (input) => {
      try {
        const s = await stat(resolve(root, input));
        prints[input] = `${s.size}:${s.mtimeMs}`;
      } catch {
        prints[input] = 'missing';
      }
    }),
  );
  return prints;
}
