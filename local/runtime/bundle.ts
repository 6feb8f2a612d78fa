/**
 * Bundles every function's handler the way CDK ships it (lib/constructs/service-function.ts: NodejsFunction
 * with esbuild, Node 22, ESM with a `require` banner, minified, source maps, AWS SDK bundled), so the local
 * runtime executes the same artefact shape as Lambda. One esbuild build with one entry point per function:
 * esbuild parses shared modules once and works on all entries in parallel.
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
  type BuildOptions,
} from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ESM_REQUIRE_BANNER } from '../../lib/app/defaults';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface BundleInput {
  readonly name: string;
  /** Handler file relative to `root`. */
  readonly entry: string;
}

export interface BundleOptions {
  /** Output folder; each function gets `<outDir>/<name>/index.mjs` (+ .map), like a Lambda asset. */
  readonly outDir: string;
  /** Project root (package.json, tsconfig.json); default the repository root. */
  readonly root?: string;
  /** Keep the previous build in `outDir` when nothing it was built from has changed. */
  readonly reuse?: boolean;
}

export interface BundleResult {
  /** Bundle file (index.mjs) by function name. */
  readonly files: Map<string, string>;
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
  const files = new Map(functions.map((fn) => [fn.name, join(opts.outDir, fn.name, 'index.mjs')]));
  const options: BuildOptions = {
    absWorkingDir: root,
    entryPoints: functions.map((fn) => ({ in: resolve(root, fn.entry), out: `${fn.name}/index` })),
    outdir: opts.outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'silent',
    metafile: true,
  };
  const key = createHash('sha256').update(JSON.stringify({ esbuildVersion, options })).digest('hex');
  if (opts.reuse && (await unchanged(opts.outDir, key, root, [...files.values()])))
    return { files, reused: true };

  await rm(opts.outDir, { recursive: true, force: true });
  await mkdir(opts.outDir, { recursive: true });
  if (functions.length === 0) return { files, reused: false };
  let inputs: string[];
  buildsInFlight++;
  try {
    const result = await build(options);
    inputs = Object.keys(result.metafile?.inputs ?? {});
  } catch (err) {
    const failure = err as Partial<BuildFailure>;
    const details = (failure.errors ?? [])
      .slice(0, 10)
      .map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
      .join('\n');
    throw new Error(`Bundling the functions failed:\n${details || String(err)}`, { cause: err });
  } finally {
    // esbuild's service process keeps the memory of the build (~700 MB for all functions) while it lives;
    // nothing else needs it, and the next build starts a new one.
    if (--buildsInFlight === 0) await stopEsbuild();
  }
  if (opts.reuse) {
    const record: BuildRecord = { key, inputs: await fingerprints(root, [...inputs, ...PROJECT_FILES]) };
    await writeFile(join(opts.outDir, RECORD_FILE), JSON.stringify(record));
  }
  return { files, reused: false };
}

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
