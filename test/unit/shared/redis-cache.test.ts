import { CACHE_TTL_SECONDS, type CacheEntry } from '../../../functions/shared/cache/port';
import {
  RedisCache,
  dataKey,
  generationKey,
  lockKey,
  type CacheObserver,
  type RedisCacheOptions,
} from '../../../functions/shared/cache/redis-cache';
import { MemoryStore } from './memory-store';

const product: CacheEntry = { key: 'product:1', kind: 'product', generation: 'product:1' };
const stock: CacheEntry = { key: 'inventory:s1:p1', kind: 'inventory' };

function world(options: RedisCacheOptions = {}) {
  const store = new MemoryStore();
  const errors: string[] = [];
  const observer: CacheObserver = { error: (operation) => errors.push(operation) };
  const cache = new RedisCache(store, observer, { cooldownMs: 0, ...options });
  let loads = 0;
  const loader =
    <T>(value: T, ms = 0) =>
    async () => {
      loads++;
      if (ms) await new Promise((r) => setTimeout(r, ms));
      return value;
    };
  return { store, errors, cache, loader, loads: () => loads };
}

describe('RedisCache cache-aside', () => {
  it('loads on a miss and serves the second read from the store', async () => {
    const { cache, loader, loads } = world();
    expect(await cache.getOrLoad(product, loader({ name: 'Milk' }))).toEqual({ name: 'Milk' });
    expect(await cache.getOrLoad(product, loader({ name: 'other' }))).toEqual({ name: 'Milk' });
    expect(loads()).toBe(1);
  });

  it('caches null (an unknown id) like any value', async () => {
    const { cache, loader, loads } = world();
    await cache.getOrLoad(product, loader(null));
    expect(await cache.getOrLoad(product, loader('x'))).toBeNull();
    expect(loads()).toBe(1);
  });

  it.each(Object.entries(CACHE_TTL_SECONDS))(
    'stores a %s entry for its TTL (%i s)',
    async (kind, seconds) => {
      const { cache, store, loader } = world();
      const entry = { key: `k-${kind}`, kind: kind as CacheEntry['kind'] };
      await cache.getOrLoad(entry, loader(1));
      const ttl = store.ttlOf(dataKey(entry.key))!;
      expect(ttl).toBeLessThanOrEqual(seconds * 1000);
      expect(ttl).toBeGreaterThan(seconds * 1000 - 1000);
    },
  );

  it('does not store anything when the loader rejects', async () => {
    const { cache, store } = world();
    await expect(cache.getOrLoad(product, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(store.data.has(dataKey(product.key))).toBe(false);
    expect(store.data.has(lockKey(product.key))).toBe(false);
  });
});

describe('RedisCache invalidation', () => {
  it('misses after the generation is replaced', async () => {
    const { cache, loader, loads } = world();
    await cache.getOrLoad(product, loader('v1'));
    await cache.invalidate({ generations: ['product:1'] });
    expect(await cache.getOrLoad(product, loader('v2'))).toBe('v2');
    expect(loads()).toBe(2);
  });

  it('never serves a fill that raced with an invalidation', async () => {
    const { cache, loader } = world();
    await cache.getOrLoad(product, loader('v0')); // creates the generation
    await cache.invalidate({ generations: ['product:1'] });
    // A slow fill that read the old data started before the write and finishes after the invalidation.
    const slow = cache.getOrLoad({ ...product, key: 'product:1' }, async () => {
      await cache.invalidate({ generations: ['product:1'] });
      return 'stale';
    });
    expect(await slow).toBe('stale');
    expect(await cache.getOrLoad(product, loader('fresh'))).toBe('fresh');
  });

  it('gives an evicted generation a fresh random value, so old entries never match again', async () => {
    const { cache, store, loader } = world();
    await cache.getOrLoad(product, loader('old'));
    store.data.delete(generationKey('product:1'));
    expect(await cache.getOrLoad(product, loader('new'))).toBe('new');
  });

  it('deletes plain keys', async () => {
    const { cache, loader, loads } = world();
    await cache.getOrLoad(stock, loader(5));
    await cache.invalidate({ keys: [stock.key] });
    await cache.getOrLoad(stock, loader(4));
    expect(loads()).toBe(2);
  });
});

describe('RedisCache write-through', () => {
  it('serves what was set without loading', async () => {
    const { cache, loader, loads } = world();
    await cache.set([
      { entry: stock, value: { available: 7 } },
      { entry: product, value: { name: 'Milk' } },
    ]);
    expect(await cache.getOrLoad(stock, loader(0))).toEqual({ available: 7 });
    expect(await cache.getOrLoad(product, loader(0))).toEqual({ name: 'Milk' });
    expect(loads()).toBe(0);
  });

  it('a set under a generation is invalidated with it', async () => {
    const { cache, loader } = world();
    await cache.set([{ entry: product, value: 'warm' }]);
    await cache.invalidate({ generations: ['product:1'] });
    expect(await cache.getOrLoad(product, loader('loaded'))).toBe('loaded');
  });
});

describe('RedisCache stampede protection', () => {
  it('runs one load for 50 concurrent misses in one instance', async () => {
    const { cache, loader, loads } = world();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.getOrLoad(product, loader('v', 20))),
    );
    expect(new Set(results)).toEqual(new Set(['v']));
    expect(loads()).toBe(1);
  });

  it('makes another instance wait for the lock holder instead of loading', async () => {
    const { cache, store, loader, loads } = world();
    const other = new RedisCache(store, { error: () => undefined }, { cooldownMs: 0 });
    const first = cache.getOrLoad(product, loader('from-first', 60));
    await new Promise((r) => setTimeout(r, 5));
    const second = other.getOrLoad(product, loader('from-second'));
    expect(await Promise.all([first, second])).toEqual(['from-first', 'from-first']);
    expect(loads()).toBe(1);
  });

  it('loads itself when the lock holder takes longer than the wait', async () => {
    const { cache, store, loader, loads } = world({ fillWaitMs: 40 });
    const other = new RedisCache(store, { error: () => undefined }, { cooldownMs: 0, fillWaitMs: 40 });
    const first = cache.getOrLoad(product, loader('slow', 200));
    await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    expect(await other.getOrLoad(product, loader('own'))).toBe('own');
    expect(Date.now() - started).toBeLessThan(150);
    await first;
    expect(loads()).toBe(2);
  });
});

describe('RedisCache fail-open', () => {
  it('reads from the loader and counts an error when the store fails', async () => {
    const { cache, store, loader, errors } = world();
    store.failWith = new Error('ECONNREFUSED');
    expect(await cache.getOrLoad(product, loader('db'))).toBe('db');
    expect(errors).toEqual(['get']);
  });

  it('gives up on a store slower than the budget and counts a timeout', async () => {
    const { cache, store, loader, errors } = world({ budgetMs: 30, connectBudgetMs: 30 });
    store.delayMs = 1_000;
    const started = Date.now();
    expect(await cache.getOrLoad(product, loader('db'))).toBe('db');
    expect(Date.now() - started).toBeLessThan(150);
    expect(errors).toEqual(['get']);
  });

  it('allows the connect budget to the first operation only', async () => {
    const { cache, store, loader, errors } = world({ budgetMs: 10, connectBudgetMs: 200 });
    store.delayMs = 50;
    await cache.set([{ entry: stock, value: 1 }]);
    expect(errors).toEqual([]);
    expect(await cache.getOrLoad(stock, loader('second'))).toBe('second');
    expect(errors).toEqual(['get']);
  });

  it('skips the store during the cool-down after a failure', async () => {
    const { cache, store, loader, errors } = world({ cooldownMs: 10_000 });
    store.failWith = new Error('down');
    await cache.getOrLoad(product, loader('a'));
    store.failWith = undefined;
    const calls = store.calls.length;
    expect(await cache.getOrLoad(product, loader('b'))).toBe('b');
    expect(store.calls.length).toBe(calls);
    expect(errors).toEqual(['get']);
  });

  it('never throws from set or invalidate', async () => {
    const { cache, store, errors } = world();
    store.failWith = new Error('down');
    await expect(cache.set([{ entry: stock, value: 1 }])).resolves.toBe(false);
    await expect(cache.invalidate({ generations: ['tree'], keys: ['x'] })).resolves.toBeUndefined();
    expect(errors).toEqual(['set', 'invalidate']);
  });

  it('treats a value it did not write as a miss', async () => {
    const { cache, store, loader } = world();
    store.data.set(dataKey(stock.key), { value: 'not json', expiresAt: Date.now() + 10_000 });
    expect(await cache.getOrLoad(stock, loader('db'))).toBe('db');
  });
});
