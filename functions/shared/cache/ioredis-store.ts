/**
 * CacheStore over ioredis. Tuned to fail fast rather than queue: no offline queue (a command while
 * disconnected rejects at once), one retry per request, a command timeout equal to the cache budget,
 * and a lazy connection opened by the first command (module load and init stay as fast as without a cache).
 */
import type { Redis, RedisOptions } from 'ioredis';
import { CACHE_BUDGET_MS, CACHE_CONNECT_BUDGET_MS, type CacheStore } from './redis-cache';

export interface RedisConnection {
  /** `host:port`, or a `redis://` / `rediss://` URL. */
  readonly endpoint: string;
  readonly tls: boolean;
  /** Resolves the AUTH token (Secrets Manager in AWS); absent = no AUTH. */
  readonly password?: () => Promise<string>;
}

type RedisConstructor = new (options: RedisOptions) => Redis;

/** Every store of this module scope, so tests and the local platform can close their connections. */
const stores = new Set<IoredisStore>();
export async function closeAllStores(): Promise<void> {
  await Promise.all([...stores].map((s) => s.close()));
}

export class IoredisStore implements CacheStore {
  private client: Redis | undefined;
  private connecting: Promise<Redis> | undefined;
  private ready: Promise<void> | undefined;

  /**
   * `loadRedis` imports ioredis on first use, so a cold start does not evaluate it. Its default export: an
   * ESM bundle importing the CommonJS package sees only `default` (module.exports, the Redis class), where
   * TypeScript and Jest would also offer the named `Redis` (test/e2e/platform.test.ts warms the real bundles).
   */
  constructor(
    private readonly connection: RedisConnection,
    private readonly loadRedis: () => Promise<RedisConstructor> = async () =>
      (await import('ioredis')).default,
  ) {
    stores.add(this);
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return (await this.connected()).mget(...keys);
  }

  async set(key: string, value: string, ttlMs: number, onlyIfAbsent = false): Promise<boolean> {
    const client = await this.connected();
    const result = onlyIfAbsent
      ? await client.set(key, value, 'PX', ttlMs, 'NX')
      : await client.set(key, value, 'PX', ttlMs);
    return result === 'OK';
  }

  async setMany(items: readonly { key: string; value: string; ttlMs: number }[]): Promise<void> {
    const client = await this.connected();
    const pipeline = client.pipeline();
    for (const { key, value, ttlMs } of items) pipeline.set(key, value, 'PX', ttlMs);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async del(keys: readonly string[]): Promise<void> {
    await (await this.connected()).del(...keys);
  }

  /** Closes the connection (tests, the local platform); a later command reconnects. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    this.ready = undefined;
    if (client) client.disconnect(false);
  }

  /** The client once it is ready; waits for a connection in progress (the caller's budget bounds the wait). */
  private async connected(): Promise<Redis> {
    const client = this.client ?? (await (this.connecting ??= this.create()));
    if (client.status === 'ready') return client;
    // A connection that was lost reconnects in the background; meanwhile fail at once, without waiting.
    if (client.status === 'reconnecting' || client.status === 'close' || client.status === 'end')
      throw new Error(`Cache connection ${client.status}`);
    if (client.status === 'wait') client.connect().catch(() => undefined);
    // Bounded here too, not only by the caller's budget, so waiters on a Redis that never gets ready
    // (accepts, never answers) do not pile up.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.waitReady(client),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Cache connection not ready')), CACHE_CONNECT_BUDGET_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  private async create(): Promise<Redis> {
    try {
      const [Redis, password] = await Promise.all([this.loadRedis(), this.connection.password?.()]);
      const client = new Redis({
        ...endpointOptions(this.connection.endpoint),
        ...(this.connection.tls ? { tls: {} } : {}),
        ...(password ? { password } : {}),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: CACHE_BUDGET_MS,
        connectTimeout: CACHE_CONNECT_BUDGET_MS * 5,
        // Keep trying in the background, never faster than every 100 ms nor slower than every 2 s.
        retryStrategy: (times) => Math.min(100 * times, 2_000),
        keepAlive: 10_000,
        // Closing waits this long for the socket to end before destroying it (ioredis' default is 2 s).
        disconnectTimeout: 100,
        connectionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      });
      // Failures are counted where a command fails (CacheError); without a listener ioredis would print them.
      client.on('error', () => undefined);
      client.on('close', () => {
        this.ready = undefined;
      });
      this.client = client;
      return client;
    } catch (error) {
      this.connecting = undefined; // try again on the next command
      throw error;
    }
  }

  private waitReady(client: Redis): Promise<void> {
    this.ready ??= new Promise<void>((resolve) => client.once('ready', () => resolve()));
    return this.ready;
  }
}

function endpointOptions(endpoint: string): RedisOptions {
  if (/^rediss?:\/\//.test(endpoint)) {
    const url = new URL(endpoint);
    return {
      host: url.hostname,
      port: Number(url.port || 6379),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    };
  }
  const [host, port] = endpoint.split(':');
  return { host, port: Number(port || 6379) };
}
