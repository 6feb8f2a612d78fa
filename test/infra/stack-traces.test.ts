/**
 * Functions run without Node's `--enable-source-maps` (it parses every module's source map at load); the
 * hook every bundle carries (functions/shared/stack-traces.ts) maps a stack when it is printed. The logs
 * must not change: the same bundle's stacks, printed with the flag by Node and without it by the hook,
 * are the same strings, frame for frame.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { functionBuildOptions } from '../../lib/app/bundling';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..');
const FIXTURE = 'test/infra/fixtures/stack-traces';
const run = promisify(execFile);
let outDir: string;

interface Printed {
  readonly stacks: string[];
  readonly sourceMapsEnabled: boolean;
}

async function printStacks(nodeOptions: string): Promise<Printed> {
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, FIXTURE, 'print.mjs'), join(outDir, 'index.mjs')],
    { env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions } },
  );
  return JSON.parse(stdout) as Printed;
}

let byNode: Printed;
let byHook: Printed;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'zepto-stack-traces-'));
  await build(functionBuildOptions({ entry: `${FIXTURE}/entry.ts`, outDir, root: ROOT }));
  [byNode, byHook] = await Promise.all([printStacks('--enable-source-maps'), printStacks('')]);
});

afterAll(() => rm(outDir, { recursive: true, force: true }));

it('builds the fixture with a chunk loaded on demand, so two source maps are read', async () => {
  expect((await readdir(join(outDir, 'chunks'))).some((f) => f.startsWith('lazy-'))).toBe(true);
});

it('maps stacks without the flag, through the source maps on disk', () => {
  expect(byNode.sourceMapsEnabled).toBe(true);
  expect(byHook.sourceMapsEnabled).toBe(false);
  const all = byHook.stacks.join('\n');
  expect(all).toContain(`${join(ROOT, FIXTURE, 'entry.ts')}:`);
  expect(all).toContain(`${join(ROOT, FIXTURE, 'lazy.ts')}:`);
  expect(all).toContain(`${join(ROOT, 'node_modules/zod')}`);
  // Only the eval'd code's origin stays a bundle position (Node does not map it either).
  expect(all).not.toMatch(/\.mjs:\d+:\d+\)$/m);
});

it('prints every stack exactly as Node does with --enable-source-maps', () => {
  expect(byHook.stacks).toHaveLength(13);
  expect(byHook.stacks).toEqual(byNode.stacks);
});

it('keeps the first lines: Node errors with their code, errors without a message', () => {
  const heads = byHook.stacks.map((s) => s.split('\n')[0] ?? '');
  expect(heads.filter((h) => h.startsWith('RangeError [ERR_OUT_OF_RANGE]: '))).toHaveLength(1);
  expect(heads).toContain('QuietError');
  expect(heads).toContain('RangeError: An empty basket');
});
