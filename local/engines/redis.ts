/**
 * redis-server from the PATH (Debian package `redis-server`), standing in for ElastiCache. Optional: when
 * it is not installed, `startRedis` resolves undefined and callers run with the cache off (the app's
 * cache client fails open anyway).
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOST, freePort, spawnEngine, tcpRequest, waitUntilReady, type StartedEngine } from './process';

export interface RedisOptions {
  /** Listen on this port instead of a free one. */
  readonly port?: number;
  /** Keep an RDB snapshot under `<dataDir>/redis`; omitted = no persistence at all. */
  readonly dataDir?: string;
  readonly timeoutMs?: number;
  /** Cache eviction policy, as the ElastiCache parameter group sets it (default allkeys-lru). */
  readonly maxmemoryPolicy?: string;
}

export async function redisAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function startRedis(opts: RedisOptions = {}): Promise<StartedEngine | undefined> {
  if (!(await redisAvailable())) return undefined;
  const port = opts.port ?? (await freePort());
  const persistence = opts.dataDir
    ? ['--dir', join(opts.dataDir, 'redis'), '--save', '60 1', '--appendonly', 'no']
    : ['--save', '', '--appendonly', 'no'];
  if (opts.dataDir) await mkdir(join(opts.dataDir, 'redis'), { recursive: true });
  const engine = spawnEngine({
    name: 'redis',
    command: 'redis-server',
    args: [
      '--bind',
      HOST,
      '--port',
      String(port),
      '--protected-mode',
      'no',
      '--maxmemory',
      '64mb',
      '--maxmemory-policy',
      opts.maxmemoryPolicy ?? 'allkeys-lru',
      '--daemonize',
      'no',
      ...persistence,
    ],
  });
  try {
    await waitUntilReady(engine, async () => (await tcpRequest(port, 'PING\r\n')).startsWith('+PONG'), {
      timeoutMs: opts.timeoutMs ?? 10_000,
      intervalMs: 50,
    });
  } catch (err) {
    await engine.stop(500);
    throw err;
  }
  return { endpoint: `redis://${HOST}:${port}`, stop: () => engine.stop() };
}
