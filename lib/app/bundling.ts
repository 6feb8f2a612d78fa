/**
 * How a function's handler becomes its Lambda artefact: one esbuild configuration for CDK
 * (lib/constructs/service-function.ts), the local runtime (local/runtime/bundle.ts) and the benchmarks,
 * so all three run the same code. Plain data and node:path only: the local platform imports it without
 * loading aws-cdk-lib, and the caller passes esbuild in.
 *
 * What keeps the bundles lean (docs/decisions/0010-lean-functions.md):
 * - ESM with code splitting: what runs only sometimes (the X-Ray instrumentation, loaded on the first
 *   sampled request by functions/shared/tracing.ts) is a chunk beside `index.mjs`, never parsed at init;
 * - the SDK's Node credential chain is replaced by the environment provider Lambda actually uses;
 * - zod is imported as `zod/mini` with the English messages only (ESLint forbids classic `zod` there);
 * - stack traces are mapped through the source map when one is printed, not at load (STACK_TRACES).
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * ESM output needs `require` for the CommonJS dependencies esbuild leaves as `require()` calls
 * (Node built-ins pulled in by CJS packages); this banner provides it.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __zeptoCreateRequire } from 'node:module'; const require = __zeptoCreateRequire(import.meta.url);";

/**
 * Injected first into every bundle: maps stack traces through the bundle's source map when they are
 * printed, so functions run without Node's `--enable-source-maps`, which parses every map at load.
 * Beside this file rather than under the project being built, so throw-away projects bundle it too.
 */
export const STACK_TRACES = path.resolve(__dirname, '../../functions/shared/stack-traces.ts');

/** The entry file of every artefact (Lambda handler `index.handler`). */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/** Package → replacement module (relative to the project root), applied to every function. */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './functions/shared/aws/lambda-credentials.ts',
};

export interface FunctionBundleInput {
  /** Handler file, relative to `root`. */
  readonly entry: string;
  /** Folder of the artefact: `index.mjs`, its source map and `chunks/`. */
  readonly outDir: string;
  /** Project root (package.json, tsconfig.json). */
  readonly root: string;
}

/** esbuild options for one function's artefact. Plugins are not used, so `buildSync` can run them too. */
export function functionBuildOptions(input: FunctionBundleInput): BuildOptions {
  return {
    absWorkingDir: input.root,
    entryPoints: [{ in: path.resolve(input.root, input.entry), out: 'index' }],
    outdir: input.outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    alias: Object.fromEntries(
      Object.entries(BUNDLE_ALIASES).map(([from, to]) => [from, path.resolve(input.root, to)]),
    ),
    banner: { js: ESM_REQUIRE_BANNER },
    inject: [STACK_TRACES],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    tsconfig: path.join(input.root, 'tsconfig.json'),
    logLevel: 'silent',
    metafile: true,
  };
}
