/**
 * Bundles every function's handler exactly as CDK ships it: `functionBuildOptions` (lib/app/bundling.ts) is
 * the one esbuild configuration of lib/constructs/service-function.ts, the local runtime and the benchmarks.
 * One build per function (a function's chunks must hold only its own code, as in its Lambda artefact).
 *
 * `startBundling` builds in the background, a few at a time, and builds a function asked for with
 * `file(name)` at once, ahead of the queue: `npm start` serves before all 93 functions are bundled (about
 * 30 s of CPU on two cores), and a request for a function not yet built waits for its build alone (about
 * 0.4 s). `bundle` builds them all at once and waits (tests, benchmarks).
 *
 * With `reuse`, a function whose inputs (every source file esbuild read, by size and mtime) and options are
 * unchanged since its last build in the same folder is kept instead of rebuilt, each function on its own:
 * a warm restart of `npm start` skips bundling, and a change to one service rebuilds only its functions.
 */
import {
  build,
  stop as stopEsbuild,
  version as esbuildVersion,
  type BuildFailure,
  type BuildOptions,
  type Metafile,
} from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
  /** Keep a function's previous build in `outDir` when nothing it was built from has changed. */
  readonly reuse?: boolean;
}

export interface BackgroundBundleOptions extends BundleOptions {
  /**
   * Background builds at a time (a `file()` request starts its build at once regardless); 0 builds nothing
   * until asked or `buildRest()`. Default: all at once.
   */
  readonly concurrency?: number;
}

export interface BundleResult {
  /** Bundle file (index.mjs) by function name. */
  readonly files: Map<string, string>;
  /** esbuild's metafile by function name (not for the functions whose previous build was kept). */
  readonly metafiles: Map<string, Metafile>;
  /** Functions whose previous build was kept. */
  readonly reused: number;
}

export interface Bundler {
  /** The function's bundle file once built; its build starts now if it has not started yet. */
  file(name: string): Promise<string>;
  /**
   * Every function built (rejects with the first failure). With concurrency 0, once every function has been
   * asked for and built.
   */
  readonly done: Promise<BundleResult>;
  /** Starts building, this many at a time, every function not asked for yet. */
  buildRest(concurrency: number): void;
  /** No more builds wanted: lets esbuild's service go once no other bundler needs it. */
  release(): Promise<void>;
}

interface BuildRecord {
  readonly key: string;
  /** Input path (relative to root) → "size:mtimeMs". */
  readonly inputs: Record<string, string>;
}

const RECORD_FILE = 'build-inputs.json';
/** Files that change how sources resolve without being sources themselves. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];
let bundlersAtWork = 0;

export function startBundling(functions: readonly BundleInput[], opts: BackgroundBundleOptions): Bundler {
  const root = opts.root ?? REPO_ROOT;
  const files = new Map(functions.map((fn) => [fn.name, join(opts.outDir, fn.name, BUNDLE_ENTRY_FILE)]));
  const metafiles = new Map<string, Metafile>();
  const builds = new Map<string, Promise<string>>();
  const waiting = [...functions];
  let reused = 0;
  // The folder is prepared once, before the first build: without reuse it starts empty; with it, folders of
  // functions no longer in the app go.
  const prepared = (async () => {
    if (!opts.reuse) await rm(opts.outDir, { recursive: true, force: true });
    await mkdir(opts.outDir, { recursive: true });
    if (opts.reuse) {
      const names = new Set(files.keys());
      for (const entry of await readdir(opts.outDir))
        if (!names.has(entry)) await rm(join(opts.outDir, entry), { recursive: true, force: true });
    }
  })();
  let allAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (allAsked = resolve));
  if (functions.length === 0) allAsked();

  const buildOne = (fn: BundleInput): Promise<string> => {
    let pending = builds.get(fn.name);
    if (pending) return pending;
    const i = waiting.indexOf(fn);
    if (i >= 0) waiting.splice(i, 1);
    pending = prepared.then(async () => {
      const outDir = join(opts.outDir, fn.name);
      const options = functionBuildOptions({ entry: fn.entry, outDir, root });
      const key = createHash('sha256').update(JSON.stringify({ esbuildVersion, options })).digest('hex');
      if (opts.reuse && (await unchanged(outDir, key, root))) reused++;
      else
        metafiles.set(fn.name, await buildFunction(fn.name, outDir, options, opts.reuse ? key : undefined));
      return files.get(fn.name)!;
    });
    builds.set(fn.name, pending);
    if (builds.size === functions.length) allAsked();
    return pending;
  };

  // esbuild's service process keeps the memory of the builds (~700 MB for all functions) while it lives;
  // it is stopped once no bundler needs it (a later build starts a new one).
  let released = false;
  bundlersAtWork++;
  const release = async () => {
    if (released) return;
    released = true;
    if (--bundlersAtWork === 0) await stopEsbuild();
  };

  const buildRest = (concurrency: number) => {
    for (let lane = 0; lane < Math.min(concurrency, waiting.length); lane++)
      void (async () => {
        // A failure reaches whoever awaits `done` or that function's `file()`; the lane goes on, until the
        // bundler is released (the platform stopping).
        for (let next = waiting.shift(); next && !released; next = waiting.shift())
          await buildOne(next).catch(() => undefined);
      })();
  };
  buildRest(opts.concurrency ?? functions.length);
  const done = asked
    .then(() => Promise.all(builds.values()))
    .then(() => ({ files, metafiles, reused }))
    .finally(release);
  done.catch(() => undefined);

  return {
    file(name) {
      const fn = functions.find((f) => f.name === name);
      return fn ? buildOne(fn) : Promise.reject(new Error(`No function named ${name} to bundle`));
    },
    done,
    buildRest,
    release,
  };
}

/** Builds every function, all at once, and waits for them. */
export function bundle(functions: readonly BundleInput[], opts: BundleOptions): Promise<BundleResult> {
  return startBundling(functions, opts).done;
}

async function buildFunction(
  name: string,
  outDir: string,
  options: BuildOptions,
  recordKey: string | undefined,
): Promise<Metafile> {
  await rm(outDir, { recursive: true, force: true });
  let metafile: Metafile;
  try {
    ({ metafile } = (await build(options)) as { metafile: Metafile });
  } catch (err) {
    const failure = err as Partial<BuildFailure>;
    const details = (failure.errors ?? [])
      .slice(0, 10)
      .map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
      .join('\n');
    throw new Error(`Bundling ${name} failed:\n${details || String(err)}`, { cause: err });
  }
  if (recordKey !== undefined) {
    const root = options.absWorkingDir!;
    const record: BuildRecord = {
      key: recordKey,
      inputs: await fingerprints(root, [...Object.keys(metafile.inputs), ...PROJECT_FILES]),
    };
    await writeFile(join(outDir, RECORD_FILE), JSON.stringify(record));
  }
  return metafile;
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

async function unchanged(outDir: string, key: string, root: string): Promise<boolean> {
  const recordFile = join(outDir, RECORD_FILE);
  if (!existsSync(recordFile) || !existsSync(join(outDir, BUNDLE_ENTRY_FILE))) return false;
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
