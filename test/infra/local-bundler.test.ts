/**
 * The local bundler (local/runtime/bundle.ts) in a throw-away project: builds on demand and in the
 * background, keeps each function's build while its sources are unchanged, and reports a broken function
 * without holding up the others; the runner answers a function that could not be bundled as Lambda does.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBundling } from '../../local/runtime/bundle';
import { LambdaRunner } from '../../local/runtime/runner';

// Each test waits on builds (esbuild on a CI machine busy with the other suites' engines), not on time:
// Jest's 5 s default cut one off once in CI.
jest.setTimeout(60_000);

let root: string;
const outDir = () => join(root, 'build');
const functions = [
  { name: 'Alpha', entry: 'alpha.ts' },
  { name: 'Beta', entry: 'beta.ts' },
  { name: 'Broken', entry: 'broken.ts' },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'zepto-bundler-'));
  await writeFile(join(root, 'tsconfig.json'), '{}');
  await writeFile(
    join(root, 'shared.ts'),
    'export const greeting = (name: string): string => `hello ${name}`;\n',
  );
  for (const name of ['alpha', 'beta'])
    await writeFile(
      join(root, `${name}.ts`),
      `import { greeting } from './shared';\nexport const handler = async () => ({ statusCode: 200, body: greeting('${name}') });\n`,
    );
  await writeFile(join(root, 'broken.ts'), 'export const handler = async () => {\n');
});

afterAll(() => rm(root, { recursive: true, force: true }));

it('builds only what is asked for when on demand, and each function once', async () => {
  const bundler = startBundling(functions, { outDir: outDir(), root, concurrency: 0 });
  try {
    const [first, again] = await Promise.all([bundler.file('Alpha'), bundler.file('Alpha')]);
    expect(first).toBe(join(outDir(), 'Alpha', 'index.mjs'));
    expect(again).toBe(first);
    expect(existsSync(first)).toBe(true);
    expect(existsSync(join(outDir(), 'Beta'))).toBe(false);
    await expect(bundler.file('Nope')).rejects.toThrow('No function named Nope to bundle');
  } finally {
    await bundler.release();
  }
});

it('builds the rest in the background once asked to', async () => {
  const bundler = startBundling(functions.slice(0, 2), { outDir: outDir(), root, concurrency: 0 });
  try {
    const beta = bundler.file('Beta');
    bundler.buildRest(1);
    const { files, metafiles } = await bundler.done;
    expect(await beta).toBe(files.get('Beta'));
    expect([...metafiles.keys()].sort()).toEqual(['Alpha', 'Beta']);
  } finally {
    await bundler.release();
  }
});

it('reports a broken function on its own file() and on done, and still builds the others', async () => {
  const bundler = startBundling(functions, { outDir: outDir(), root, concurrency: 1 });
  try {
    await expect(bundler.file('Broken')).rejects.toThrow(/Bundling Broken failed:\n {2}broken\.ts:\d+: /);
    await expect(bundler.done).rejects.toThrow('Bundling Broken failed');
    expect(existsSync(await bundler.file('Alpha'))).toBe(true);
    expect(existsSync(await bundler.file('Beta'))).toBe(true);
  } finally {
    await bundler.release();
  }
});

it('keeps a build whose sources are unchanged, per function, when reusing', async () => {
  const working = functions.slice(0, 2);
  const run = async () =>
    (await startBundling(working, { outDir: outDir(), root, reuse: true }).done).metafiles;

  expect([...(await run()).keys()].sort()).toEqual(['Alpha', 'Beta']);
  expect((await run()).size).toBe(0);
  // One function's own source changes: only it is built again.
  await writeFile(
    join(root, 'beta.ts'),
    `import { greeting } from './shared';\nexport const handler = async () => ({ statusCode: 200, body: greeting('beta 2') });\n`,
  );
  expect([...(await run()).keys()]).toEqual(['Beta']);
  // A file both import changes (its mtime is part of the fingerprint): both are built again.
  const later = new Date(Date.now() + 5_000);
  await utimes(join(root, 'shared.ts'), later, later);
  expect([...(await run()).keys()].sort()).toEqual(['Alpha', 'Beta']);
});

it('runs a function bundled on its first invocation, and fails one that cannot be bundled', async () => {
  const bundler = startBundling(functions, { outDir: join(root, 'runner-build'), root, concurrency: 0 });
  const runner = new LambdaRunner(
    functions.map((fn) => ({ name: fn.name, bundle: () => bundler.file(fn.name), env: {} })),
    { logs: 'silent' },
  );
  try {
    const ok = await runner.invoke('Alpha', {});
    expect(ok).toMatchObject({ ok: true, coldStart: true });
    expect(JSON.parse((ok as { payload: string }).payload)).toEqual({ statusCode: 200, body: 'hello alpha' });
    const failed = await runner.invoke('Broken', {});
    expect(failed).toMatchObject({
      ok: false,
      error: {
        errorType: 'Runtime.ImportModuleError',
        errorMessage: expect.stringContaining('Bundling Broken failed'),
      },
    });
  } finally {
    await runner.stop();
    await bundler.release();
  }
});
