/**
 * cognito-local, started through cognito-launcher.cjs (which adds GlobalSignOut, ResendConfirmationCode and a
 * local mailbox of sent codes at GET /_local/messages?destination=<email>). Tokens are RS256-signed
 * with cognito-local's fixed key; issuer `http://127.0.0.1:PORT/<poolId>`, JWKS at
 * `http://127.0.0.1:PORT/<poolId>/.well-known/jwks.json`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST, freePort, httpAnswers, spawnEngine, waitUntilReady, type StartedEngine } from './process';

export interface CognitoOptions {
  /** Listen on this port instead of a free one. */
  readonly port?: number;
  /** Keep users and pools under `<dataDir>/cognito/.cognito`; omitted = a temp folder removed on stop. */
  readonly dataDir?: string;
  readonly timeoutMs?: number;
}

export async function startCognito(opts: CognitoOptions = {}): Promise<StartedEngine> {
  const cwd = opts.dataDir ? join(opts.dataDir, 'cognito') : await mkdtemp(join(tmpdir(), 'zepto-cognito-'));
  await mkdir(cwd, { recursive: true });
  const port = opts.port ?? (await freePort());
  const engine = spawnEngine({
    name: 'cognito',
    command: process.execPath,
    args: [join(__dirname, 'cognito-launcher.cjs')],
    cwd,
    env: { ...process.env, HOST, PORT: String(port) },
  });
  const endpoint = `http://${HOST}:${port}`;
  const cleanup = async () => {
    await engine.stop();
    if (!opts.dataDir) await rm(cwd, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(engine, () => httpAnswers(`${endpoint}/health`), {
      timeoutMs: opts.timeoutMs ?? 20_000,
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { endpoint, stop: cleanup };
}
