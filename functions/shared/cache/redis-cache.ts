/**
 * The cache port over a key-value store with Redis semantics (see CacheStore): cache-aside with
 * generations, write-through, stampede protection and fail-open. The store adapter (ioredis-store.ts)
 * holds the Redis calls; this file holds the rules, so unit tests drive it with an in-memory store.
 */
import { randomBytes } from 'node:crypto';
import { CACHE_TTL_SECONDS, type Cache, type CacheEntry, type CacheInvalidation } from './port';

/** Time one Redis operation may take before the request goes on without the cache. */
export const CACHE_BUDGET_MS = 50;
/**
 * Time the first operation of an instance may take, as it also connects (TCP, TLS, AUTH, ready check).
 * Once per instance: later operations, reconnects included, get CACHE_BUDGET_MS, so an unreachable or
 * unresponsive Redis costs a request at most CACHE_BUDGET_MS.
 */
export const CACHE_CONNECT_BUDGET_MS = 200;
/** After a failure the cache is skipped for this long, so an outage costs each request nothing. */
export const CACHE_COOLDOWN_MS = 1_000;
/** A fill lock outlives any sane load; it only stops other instances from loading the same key meanwhile. */
export const FILL_LOCK_TTL_MS = 3_000;
/** Instances that lost the fill lock poll for the value this often, for at most FILL_WAIT_MS, then load. */
export const FILL_POLL_MS = 20;
export const FILL_WAIT_MS = 200;
/** Generations outlive every entry under them (the longest TTL is minutes). */
export const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
/** Every key the app writes starts with this; the version changes when the stored shapes change. */
export const KEY_PREFIX = 'zepto:v1:';

/** The Redis operations the cache needs; every method may reject (connection, timeout, server error). */
export interface CacheStore {
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** SET key value PX ttl [NX]; resolves whether the value was stored. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  /** Several SET key value PX ttl in one round trip. */
  setMany(items: readonly { key: string; value: string; ttlMs: number }[]): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
}

export interface CacheObserver {
  /** A Redis operation failed or timed out (the CacheError metric). */
  error(operation: string, error: unknown): void;
}

export interface RedisCacheOptions {
  readonly budgetMs?: number;
  readonly connectBudgetMs?: number;
  readonly cooldownMs?: number;
  readonly fillWaitMs?: number;
  readonly fillPollMs?: number;
  readonly lockTtlMs?: number;
  readonly ttlSeconds?: Partial<typeof CACHE_TTL_SECONDS>;
}

/** What a stored entry holds: the generation it was filled under, and the value. */
interface Stored {
  readonly g: string | null;
  readonly v: unknown;
}

class CacheTimeout extends Error {
  constructor(ms: number) {
    super(`Cache operation took longer than ${ms} ms`);
    this.name = 'CacheTimeout';
  }
}

const FAILED = Symbol('failed');
type Failed = typeof FAILED;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const newToken = () => randomBytes(9).toString('base64url');

export class RedisCache implements Cache {
  readonly enabled = true;
  private readonly budgetMs: number;
  private readonly connectBudgetMs: number;
  private readonly cooldownMs: number;
  private readonly fillWaitMs: number;
  private readonly fillPollMs: number;
  private readonly lockTtlMs: number;
  private readonly ttl: typeof CACHE_TTL_SECONDS;
  /** Single flight: the fill in progress per key in this instance. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private skipUntil = 0;
  private connectGraceUsed = false;

  constructor(
    private readonly store: CacheStore,
    private readonly observer: CacheObserver,
    options: RedisCacheOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? CACHE_BUDGET_MS;
    this.connectBudgetMs = options.connectBudgetMs ?? CACHE_CONNECT_BUDGET_MS;
    this.cooldownMs = options.cooldownMs ?? CACHE_COOLDOWN_MS;
    this.fillWaitMs = options.fillWaitMs ?? FILL_WAIT_MS;
    this.fillPollMs = options.fillPollMs ?? FILL_POLL_MS;
    this.lockTtlMs = options.lockTtlMs ?? FILL_LOCK_TTL_MS;
    this.ttl = { ...CACHE_TTL_SECONDS, ...options.ttlSeconds };
  }

  getOrLoad<T>(entry: CacheEntry, load: () => Promise<T>): Promise<T> {
    if (this.skipping()) return load();
    const existing = this.inFlight.get(entry.key);
    if (existing) return existing as Promise<T>;
    const flight = this.readThrough(entry, load).finally(() => this.inFlight.delete(entry.key));
    this.inFlight.set(entry.key, flight);
    return flight;
  }

  async set(items: readonly { readonly entry: CacheEntry; readonly value: unknown }[]): Promise<boolean> {
    if (items.length === 0) return true;
    if (this.skipping()) return false;
    const generations = [...new Set(items.flatMap(({ entry }) => entry.generation ?? []))];
    const current = new Map<string, string>();
    for (const name of generations) {
      const gen = await this.currentGeneration(name);
      if (gen === FAILED) return false;
      current.set(name, gen);
    }
    const stored = await this.guard('set', () =>
      this.store.setMany(
        items.map(({ entry, value }) => ({
          key: dataKey(entry.key),
          value: encode(entry.generation ? current.get(entry.generation)! : null, value),
          ttlMs: this.ttl[entry.kind] * 1000,
        })),
      ),
    );
    return stored !== FAILED;
  }

  async invalidate({ generations = [], keys = [] }: CacheInvalidation): Promise<void> {
    if (generations.length === 0 && keys.length === 0) return;
    // Not skipped during a cool-down: a lost invalidation means stale reads, so it is always attempted.
    const unique = [...new Set(generations)];
    await this.guard('invalidate', async () => {
      await Promise.all([
        unique.length > 0
          ? this.store.setMany(
              unique.map((name) => ({
                key: generationKey(name),
                value: newToken(),
                ttlMs: GENERATION_TTL_MS,
              })),
            )
          : undefined,
        keys.length > 0 ? this.store.del(keys.map(dataKey)) : undefined,
      ]);
    });
  }

  private async readThrough<T>(entry: CacheEntry, load: () => Promise<T>): Promise<T> {
    const first = await this.lookup(entry);
    if (first === FAILED) return load();
    if (first.hit) return first.value as T;

    let generation: string | null = null;
    if (entry.generation) {
      const gen = first.generation ?? (await this.initGeneration(entry.generation));
      if (gen === FAILED) return load();
      generation = gen;
    }

    const lock = lockKey(entry.key);
    const token = newToken();
    const acquired = await this.guard('lock', () => this.store.set(lock, token, this.lockTtlMs, true));
    if (acquired === FAILED) return load();
    if (!acquired) {
      // Another instance is filling this key: poll briefly for its value, then load ourselves.
      const deadline = Date.now() + this.fillWaitMs;
      while (Date.now() < deadline) {
        await sleep(this.fillPollMs);
        const next = await this.lookup(entry);
        if (next === FAILED) return load();
        if (next.hit) return next.value as T;
      }
    }
    try {
      const value = await load();
      await this.guard('fill', () =>
        this.store.set(dataKey(entry.key), encode(generation, value), this.ttl[entry.kind] * 1000),
      );
      return value;
    } finally {
      // Released at once, so that the next miss anywhere may fill (a failed load stored nothing).
      if (acquired) await this.guard('unlock', () => this.store.del([lock]));
    }
  }

  /** One round trip: the entry and, if it has one, its generation. */
  private async lookup(
    entry: CacheEntry,
  ): Promise<{ hit: true; value: unknown } | { hit: false; generation: string | null } | Failed> {
    const keys = entry.generation
      ? [dataKey(entry.key), generationKey(entry.generation)]
      : [dataKey(entry.key)];
    const result = await this.guard('get', () => this.store.mget(keys));
    if (result === FAILED) return FAILED;
    const [raw, generation = null] = result;
    const stored = raw ? decode(raw) : undefined;
    if (stored === undefined) return { hit: false, generation };
    if (entry.generation ? stored.g !== null && stored.g === generation : stored.g === null)
      return { hit: true, value: stored.v };
    return { hit: false, generation };
  }

  /**
   * A generation that was never set (or was evicted) gets a fresh random value, never a default: an entry
   * stored under an old value can then never match again.
   */
  private async initGeneration(name: string): Promise<string | Failed> {
    const fresh = newToken();
    const stored = await this.guard('generation', () =>
      this.store.set(generationKey(name), fresh, GENERATION_TTL_MS, true),
    );
    if (stored === FAILED) return FAILED;
    if (stored) return fresh;
    return this.currentGeneration(name);
  }

  private async currentGeneration(name: string): Promise<string | Failed> {
    const result = await this.guard('generation', () => this.store.mget([generationKey(name)]));
    if (result === FAILED) return FAILED;
    return result[0] ?? this.initGeneration(name);
  }

  private skipping(): boolean {
    return Date.now() < this.skipUntil;
  }

  /** Runs one store operation within the budget; a failure is observed, starts the cool-down, and is FAILED. */
  private async guard<R>(operation: string, run: () => Promise<R>): Promise<R | Failed> {
    const budget = this.connectGraceUsed ? this.budgetMs : this.connectBudgetMs;
    this.connectGraceUsed = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CacheTimeout(budget)), budget);
        }),
      ]);
    } catch (error) {
      this.skipUntil = Date.now() + this.cooldownMs;
      this.observer.error(operation, error);
      return FAILED;
    } finally {
      clearTimeout(timer);
    }
  }
}

export const dataKey = (key: string): string => `${KEY_PREFIX}${key}`;
export const generationKey = (name: string): string => `${KEY_PREFIX}gen:${name}`;
export const lockKey = (key: string): string => `${KEY_PREFIX}lock:${key}`;

const encode = (g: string | null, v: unknown): string => JSON.stringify({ g, v } satisfies Stored);

/** A value that is not what we store (another writer, a truncated value) is a miss, not an error. */
function decode(raw: string): Stored | undefined {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'g' in parsed && 'v' in parsed)
      return parsed as Stored;
  } catch {
    // fall through
  }
  return undefined;
}
