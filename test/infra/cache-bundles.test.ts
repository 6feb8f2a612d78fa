/**
 * Only the functions that declare the cache carry the Redis client (and the Secrets Manager client for
 * its AUTH token) in their bundle: the others must not pay its size. Bundled as ServiceFunction bundles
 * them (esbuild, ESM, node22), metafile only.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { app } from '../../lib/app/app';
import { ROOT } from './fixtures/synth';

jest.setTimeout(120_000);

async function bundledPackages(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return Object.keys(result.metafile.inputs);
}

describe('the Redis client in bundles', () => {
  let inputs: Map<string, string[]>;
  beforeAll(async () => {
    inputs = new Map();
    for (const fn of app.functions) inputs.set(fn.name, await bundledPackages(fn.entry));
  });

  it('is in every function that declares the cache, and in no other', () => {
    const withRedis = app.functions
      .filter((fn) => inputs.get(fn.name)!.some((f) => f.includes('node_modules/ioredis/')))
      .map((fn) => fn.name)
      .sort();
    expect(withRedis).toEqual(
      app.functions
        .filter((fn) => fn.cache)
        .map((fn) => fn.name)
        .sort(),
    );
  });

  it('brings the Secrets Manager client only with it', () => {
    for (const fn of app.functions.filter((f) => !f.cache)) {
      expect({
        fn: fn.name,
        secrets: inputs.get(fn.name)!.some((f) => f.includes('client-secrets-manager')),
      }).toEqual({
        fn: fn.name,
        secrets: false,
      });
    }
  });
});
