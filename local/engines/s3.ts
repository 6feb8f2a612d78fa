/**
 * S3 engine: s3rver 3.7 in a child process (see s3-launcher.cjs for why a child). Buckets are plain
 * folders under `<dataDir>/s3` (or a temp folder removed on stop). S3 event records are relayed to
 * `onEvent` listeners, for the local S3-notification plumbing.
 *
 * Clients: path-style addressing (automatic with an IP endpoint) and, with SDK v3 >= 3.729, set
 * `requestChecksumCalculation: 'WHEN_REQUIRED'` (s3rver does not understand the default CRC32 trailers).
 */
import type { S3Event } from 'aws-lambda';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST, freePort, spawnEngine, waitUntilReady, type StartedEngine } from './process';

export interface S3Options {
  /** Listen on this port instead of a free one. */
  readonly port?: number;
  readonly dataDir?: string;
  readonly timeoutMs?: number;
}

export type S3EventListener = (event: S3Event) => void;

export interface S3Engine extends StartedEngine {
  /** Subscribes to S3 event records (ObjectCreated:Put/Post/Copy, ObjectRemoved:Delete); returns unsubscribe. */
  onEvent(listener: S3EventListener): () => void;
}

export async function startS3(opts: S3Options = {}): Promise<S3Engine> {
  const directory = opts.dataDir ? join(opts.dataDir, 's3') : await mkdtemp(join(tmpdir(), 'zepto-s3-'));
  await mkdir(directory, { recursive: true });
  const port = opts.port ?? (await freePort());
  const engine = spawnEngine({
    name: 's3',
    command: process.execPath,
    args: ['--openssl-legacy-provider', join(__dirname, 's3-launcher.cjs')],
    env: { ...process.env, S3_HOST: HOST, S3_PORT: String(port), S3_DIRECTORY: directory },
    ipc: true,
  });
  const listeners = new Set<S3EventListener>();
  let ready = false;
  engine.child.on('message', (message: { ready?: string; event?: S3Event }) => {
    if (message.ready) ready = true;
    if (message.event)
      for (const listener of listeners) {
        try {
          listener(message.event);
        } catch (err) {
          process.stderr.write(`S3 event listener failed: ${String(err)}\n`);
        }
      }
  });
  const cleanup = async () => {
    listeners.clear();
    await engine.stop();
    if (!opts.dataDir) await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(engine, async () => ready, { timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 50 });
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    endpoint: `http://${HOST}:${port}`,
    stop: cleanup,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
