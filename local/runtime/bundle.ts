/**
 * Bundles every function's handler the way CDK ships it (lib/constructs/service-function.ts: NodejsFunction
 * with esbuild, Node 22, ESM with a `require` banner, minified, source maps, AWS SDK bundled), so the local
 * runtime executes the same artefact shape as Lambda. One esbuild build with one entry point per function:
 * esbuild parses shared modules once and works on all entries in parallel.
 */
import { build, type BuildFailure } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Same banner as ServiceFunction (ESM output still has `require()` calls from CommonJS dependencies). */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __zeptoCreateRequire } from 'node:module'; const require = __zeptoCreateRequire(import.meta.url);";

export const REPO_ROOT = resolve(__dirname, '..', '..');

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
}

/** Returns the bundle file of each function, by function name. */
export async function bundleFunctions(
  functions: readonly BundleInput[],
  opts: BundleOptions,
): Promise<Map<string, string>> {
  const root = opts.root ?? REPO_ROOT;
  await rm(opts.outDir, { recursive: true, force: true });
  await mkdir(opts.outDir, { recursive: true });
  if (functions.length === 0) return new Map();
  try {
    await build({
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
    });
  } catch (err) {
    const failure = err as Partial<BuildFailure>;
    const details = (failure.errors ?? [])
      .slice(0, 10)
      .map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
      .join('\n');
    throw new Error(`Bundling the functions failed:\n${details || String(err)}`, { cause: err });
  }
  return new Map(functions.map((fn) => [fn.name, join(opts.outDir, fn.name, 'index.mjs')]));
}
