/**
 * The cache port: what use cases may ask of the cache (ElastiCache Redis OSS / Valkey in AWS, redis-server
 * locally). It has no Redis types, so use cases and their unit tests depend on this file only.
 *
 * Semantics every implementation keeps:
 * - The cache never fails a request: a Redis error or a timeout falls back to the loader (fail-open).
 * - An entry may name a `generation`: the entry is valid only while that generation is unchanged, and
 *   `invalidate` replaces the generation (so one write invalidates every entry under it, e.g. all pages
 *   of a listing, and a fill that raced with the invalidation can never be read back).
 */

/** Kinds of entries; each has its time to live (CACHE_TTL_SECONDS). */
export type CacheKind = 'product' | 'listing' | 'tree' | 'inventory' | 'cart' | 'search' | 'searchStale';

/**
 * Seconds an entry lives. They bound how stale an entry can be when an invalidation is lost (Redis down
 * during an admin change) or when DynamoDB's eventually consistent reads (GSIs) served the fill.
 * Listings are the shortest-lived of the catalogue because GSIs lag writes; inventory is written through
 * and short because stock moves fast.
 */
export const CACHE_TTL_SECONDS: Readonly<Record<CacheKind, number>> = {
  product: 300,
  listing: 60,
  tree: 600,
  inventory: 30,
  // Carts are written through and live as long as the cart itself (7 days after the last change).
  cart: 7 * 24 * 60 * 60,
  // Search answers (functions/search): fresh for 30 s; the stale copy is only served while the engine is down.
  search: 30,
  searchStale: 3600,
};

export interface CacheEntry {
  /** Key within the application's key space (the implementation adds its prefix). */
  readonly key: string;
  readonly kind: CacheKind;
  /** Name of the generation this entry belongs to (see the module comment). */
  readonly generation?: string;
}

export interface CacheInvalidation {
  /** Generations to replace: every entry under them stops being served at once. */
  readonly generations?: readonly string[];
  /** Keys to delete outright (entries without a generation, such as write-through inventory). */
  readonly keys?: readonly string[];
}

export interface Cache {
  /** False for the pass-through cache (no cache configured): callers may skip work only a cache needs. */
  readonly enabled: boolean;
  /**
   * Cache-aside: the cached value, or `load()`'s result, which is then stored. Concurrent misses of one
   * key share one load per instance and, across instances, wait briefly for the one holding the fill lock.
   * `load` rejecting rejects the call and stores nothing. Values must be JSON (no `undefined`: use null).
   */
  getOrLoad<T>(entry: CacheEntry, load: () => Promise<T>): Promise<T>;
  /**
   * Write-through: store values just written to the source of truth (after the write succeeded), or
   * pre-load them (warm-up). Never throws; a failure is counted and the entries simply stay absent.
   * Resolves whether they were stored.
   */
  set(items: readonly { readonly entry: CacheEntry; readonly value: unknown }[]): Promise<boolean>;
  /** Invalidate after a write to the source of truth. Never throws (fail-open, counted). */
  invalidate(invalidation: CacheInvalidation): Promise<void>;
}

/** No cache configured: every read goes to the loader, writes and invalidations do nothing. */
export const passThroughCache: Cache = {
  enabled: false,
  getOrLoad: (_entry, load) => load(),
  set: async () => false,
  invalidate: async () => undefined,
};
