/**
 * SQS engine: fauxqs 2 in a child process (see sqs-launcher.mjs); messages are kept in SQLite under
 * `<dataDir>/sqs` when a dataDir is given, in memory otherwise. Queues, redrive policies and visibility
 * timeouts behave like SQS's; provisioning (local/provision.ts) creates the app's queues.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST, freePort, spawnEngine, waitUntilReady, type StartedEngine } from './process';

export interface SqsOptions {
  readonly port?: number;
  readonly dataDir?: string;
  readonly timeoutMs?: number;
}

export async function startSqs(opts: SqsOptions = {}): Promise<StartedEngine> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir && join(opts.dataDir, 'sqs');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const engine = spawnEngine({
    name: 'sqs',
    command: process.execPath,
    // node:sqlite (loaded by fauxqs) warns that it is experimental on every start.
    args: ['--disable-warning=ExperimentalWarning', join(__dirname, 'sqs-launcher.mjs')],
    env: {
      ...process.env,
      SQS_PORT: String(port),
      SQS_REGION: 'ap-south-1',
      ...(dataDir ? { SQS_DATA_DIR: dataDir } : {}),
    },
    ipc: true,
  });
  let ready = false;
  engine.child.on('message', (message: { ready?: string }) => {
    if (message.ready) ready = true;
  });
  try {
    await waitUntilReady(engine, async () => ready, { timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 50 });
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return { endpoint: `http://${HOST}:${port}`, stop: () => engine.stop() };
}
