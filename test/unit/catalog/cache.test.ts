/** The catalogue and its cache: keys, what each admin change invalidates, cache-aside reads, warm-up. */
import {
  categoryChangeInvalidation,
  listingEntry,
  productChangeInvalidation,
  productEntry,
  treeEntry,
} from '../../../functions/catalog/cache-keys';
import {
  createCategory,
  deleteCategory,
  listCategories,
  updateCategory,
} from '../../../functions/catalog/use-cases/categories';
import {
  createProduct,
  deleteProduct,
  getPublicProduct,
  listCategoryProducts,
  updateProduct,
} from '../../../functions/catalog/use-cases/products';
import { catalogueRanking, warmCatalogCache } from '../../../functions/catalog/use-cases/warm-up';
import { stockCacheEntry } from '../../../functions/shared/published/stock';
import { cacheFromEnv } from '../../../functions/shared/cache/index';
import {
  passThroughCache,
  type Cache,
  type CacheEntry,
  type CacheInvalidation,
} from '../../../functions/shared/cache/port';
import { RedisCache } from '../../../functions/shared/cache/redis-cache';
import { MemoryStore } from '../shared/memory-store';
import { aCategory, aProduct, fakeDeps } from './fakes';

/** A cache that records what it was asked, in front of a real RedisCache over memory. */
function recordingCache() {
  const inner = new RedisCache(new MemoryStore(), { error: () => undefined });
  const invalidations: CacheInvalidation[] = [];
  const sets: CacheEntry[] = [];
  const cache: Cache = {
    enabled: true,
    getOrLoad: (entry, load) => inner.getOrLoad(entry, load),
    set: async (items) => {
      sets.push(...items.map((i) => i.entry));
      return inner.set(items);
    },
    invalidate: async (i) => {
      invalidations.push(i);
      await inner.invalidate(i);
    },
  };
  return { cache, invalidations, sets };
}

function world() {
  const recorded = recordingCache();
  const deps = { ...fakeDeps(), cache: recorded.cache };
  const top = deps.repository.seedCategory(aCategory({ name: 'Dairy' }));
  const sub = deps.repository.seedCategory(aCategory({ name: 'Milk', parentId: top.id }));
  const other = deps.repository.seedCategory(aCategory({ name: 'Bakery' }));
  return { deps, top, sub, other, ...recorded };
}

const sorted = (i: CacheInvalidation | undefined) => [...(i?.generations ?? [])].sort();

describe('cache keys', () => {
  it('gives every listing page its own key under one generation per category', () => {
    const first = listingEntry('C1', 20);
    const next = listingEntry('C1', 20, 'cursor-abc');
    expect(first.key).toBe('listing:C1:20:first');
    expect(next.key).not.toBe(first.key);
    expect(listingEntry('C1', 50).key).not.toBe(first.key);
    expect(new Set([first.generation, next.generation, listingEntry('C1', 50).generation])).toEqual(
      new Set(['listing:C1']),
    );
    expect(listingEntry('C1', 20, 'x'.repeat(2048)).key.length).toBeLessThan(64);
  });

  it('names products and the tree by kind', () => {
    expect(productEntry('P1')).toEqual({ key: 'product:P1', kind: 'product', generation: 'product:P1' });
    expect(treeEntry.kind).toBe('tree');
  });
});

describe('invalidation sets', () => {
  const top = aCategory({ id: 'T' });
  const sub = aCategory({ id: 'S', parentId: 'T' });
  const other = aCategory({ id: 'O' });

  it('a new product: its key, its listing and its parent listing, and the tree (counts)', () => {
    const p = aProduct('S', { id: 'P' });
    expect(sorted(productChangeInvalidation({ after: p, categories: [sub] }))).toEqual(
      ['listing:S', 'listing:T', 'product:P', 'tree'].sort(),
    );
  });

  it('a renamed product: no tree (no count moves)', () => {
    const before = aProduct('S', { id: 'P' });
    expect(
      sorted(
        productChangeInvalidation({ before, after: { ...before, name: 'New' }, categories: [sub, sub] }),
      ),
    ).toEqual(['listing:S', 'listing:T', 'product:P'].sort());
  });

  it('a product moved to another category: old and new listings with parents, and the tree', () => {
    const before = aProduct('S', { id: 'P' });
    expect(
      sorted(
        productChangeInvalidation({
          before,
          after: { ...before, categoryId: 'O' },
          categories: [sub, other],
        }),
      ),
    ).toEqual(['listing:O', 'listing:S', 'listing:T', 'product:P', 'tree'].sort());
  });

  it('a deactivated or deleted product changes the counts in the tree', () => {
    const before = aProduct('S', { id: 'P' });
    expect(
      sorted(productChangeInvalidation({ before, after: { ...before, isActive: false }, categories: [sub] })),
    ).toContain('tree');
    expect(sorted(productChangeInvalidation({ before, categories: [sub] }))).toContain('tree');
  });

  it('a category change: the tree, its listing, its old and new parents', () => {
    const moved = { ...sub, parentId: 'O' };
    expect(sorted(categoryChangeInvalidation([sub, moved]))).toEqual(
      ['listing:O', 'listing:S', 'listing:T', 'tree'].sort(),
    );
    expect(sorted(categoryChangeInvalidation([top]))).toEqual(['listing:T', 'tree']);
  });
});

describe('admin use cases invalidate after writing', () => {
  it('createProduct', async () => {
    const { deps, sub, top, invalidations } = world();
    const p = await createProduct(deps, {
      sku: 'MILK-1',
      name: 'Milk',
      slug: 'milk-1',
      categoryId: sub.id,
      unit: '1 l',
      pricePaise: 100,
      mrpPaise: 100,
      currency: 'INR',
      imageKeys: [],
      tags: [],
      isActive: true,
      maxPerOrder: 10,
    });
    expect(sorted(invalidations[0])).toEqual(
      [`listing:${sub.id}`, `listing:${top.id}`, `product:${p.id}`, 'tree'].sort(),
    );
  });

  it('updateProduct (a move) and deleteProduct', async () => {
    const { deps, sub, top, other, invalidations } = world();
    const p = deps.repository.seedProduct(aProduct(sub.id));
    await updateProduct(deps, p.id, { categoryId: other.id });
    expect(sorted(invalidations[0])).toEqual(
      [`listing:${sub.id}`, `listing:${top.id}`, `listing:${other.id}`, `product:${p.id}`, 'tree'].sort(),
    );
    await deleteProduct(deps, p.id);
    expect(sorted(invalidations[1])).toEqual([`listing:${other.id}`, `product:${p.id}`, 'tree'].sort());
  });

  it('does not invalidate when an update changes nothing', async () => {
    const { deps, sub, invalidations } = world();
    const p = deps.repository.seedProduct(aProduct(sub.id));
    await updateProduct(deps, p.id, { name: p.name });
    expect(invalidations).toEqual([]);
  });

  it('createCategory, updateCategory and deleteCategory', async () => {
    const { deps, top, invalidations } = world();
    const c = await createCategory(deps, { name: 'Curd', slug: 'curd', sortOrder: 1, parentId: top.id });
    await updateCategory(deps, c.id, { name: 'Curd and yoghurt' });
    await deleteCategory(deps, c.id);
    for (const i of invalidations)
      expect(sorted(i)).toEqual([`listing:${c.id}`, `listing:${top.id}`, 'tree'].sort());
    expect(invalidations).toHaveLength(3);
  });
});

describe('cache-aside reads', () => {
  it('serves the product, the tree and a listing page from the cache on the second read', async () => {
    const { deps, sub } = world();
    const p = deps.repository.seedProduct(aProduct(sub.id));
    const getProduct = jest.spyOn(deps.repository, 'getProduct');
    const listAll = jest.spyOn(deps.repository, 'listCategories');
    const listPage = jest.spyOn(deps.repository, 'listActiveProducts');
    for (let i = 0; i < 2; i++) {
      await getPublicProduct(deps, p.id);
      await listCategories(deps);
      await listCategoryProducts(deps, { categoryId: sub.id, limit: 20 });
    }
    expect([getProduct.mock.calls.length, listAll.mock.calls.length, listPage.mock.calls.length]).toEqual([
      1, 1, 1,
    ]);
  });

  it('reads the change after an admin update', async () => {
    const { deps, sub } = world();
    const p = deps.repository.seedProduct(aProduct(sub.id));
    await getPublicProduct(deps, p.id);
    await listCategoryProducts(deps, { categoryId: sub.id, limit: 20 });
    await updateProduct(deps, p.id, { name: 'Renamed milk' });
    expect((await getPublicProduct(deps, p.id)).name).toBe('Renamed milk');
    expect((await listCategoryProducts(deps, { categoryId: sub.id, limit: 20 })).items[0]!.name).toBe(
      'Renamed milk',
    );
  });

  it('never caches a 404 of a missing category', async () => {
    const { deps } = world();
    const missing = '01JMISSING0000000000000000';
    await expect(listCategoryProducts(deps, { categoryId: missing, limit: 20 })).rejects.toMatchObject({
      status: 404,
    });
    const spy = jest.spyOn(deps.repository, 'getCategory');
    await expect(listCategoryProducts(deps, { categoryId: missing, limit: 20 })).rejects.toMatchObject({
      status: 404,
    });
    expect(spy).toHaveBeenCalled();
  });
});

describe('warm-up', () => {
  it('loads the tree, the first page of every listing and the top products, and reports the counts', async () => {
    const { deps, sub, other, sets } = world();
    const milk = [1, 2, 3].map((n) => deps.repository.seedProduct(aProduct(sub.id, { name: `Milk ${n}` })));
    const bread = [1, 2].map((n) => deps.repository.seedProduct(aProduct(other.id, { name: `Bread ${n}` })));
    const result = await warmCatalogCache(deps, { topProducts: 4 });
    expect(result).toMatchObject({ cacheEnabled: true, warmed: { tree: 1, listings: 3, products: 4 } });
    expect(sets.filter((e) => e.kind === 'tree')).toHaveLength(1);
    expect(
      sets
        .filter((e) => e.kind === 'listing')
        .map((e) => e.key)
        .sort(),
    ).toHaveLength(3);
    const products = sets.filter((e) => e.kind === 'product').map((e) => e.key);
    // Round-robin over the aisles (Bakery, Milk by display order): heads of each aisle first.
    expect(products).toEqual(expect.arrayContaining([`product:${bread[0]!.id}`, `product:${milk[0]!.id}`]));
    const getProduct = jest.spyOn(deps.repository, 'getProduct');
    await getPublicProduct(deps, bread[0]!.id);
    expect(getProduct).not.toHaveBeenCalled();
  });

  it('uses the ranking port when one is given (later: recent sales per store)', async () => {
    const { deps, sub } = world();
    const p = deps.repository.seedProduct(aProduct(sub.id));
    const ranking = { topProducts: jest.fn(async () => [p]) };
    const result = await warmCatalogCache({ ...deps, ranking }, { topProducts: 10 });
    expect(ranking.topProducts).toHaveBeenCalledWith(
      10,
      expect.objectContaining({ categories: expect.any(Array) }),
    );
    expect(result.warmed.products).toBe(1);
  });

  it('warms the top products’ stock lines at every serving store, a missing line as none', async () => {
    const { deps, sub, sets } = world();
    const [a, b] = [1, 2].map((n) => deps.repository.seedProduct(aProduct(sub.id, { name: `Dahi ${n}` })));
    const line = { storeId: 'S1', productId: a!.id, available: 4, reserved: 0, version: 1, updatedAt: 't' };
    const stock = {
      linesFor: jest.fn(async (storeId: string) => new Map(storeId === 'S1' ? [[a!.id, line]] : [])),
    };
    const stores = { servingStoreIds: async () => ['S1', 'S2'] };
    const values = new Map<string, unknown>();
    const cache = {
      ...deps.cache,
      set: async (items: readonly { entry: { key: string }; value: unknown }[]) => {
        for (const { entry, value } of items) values.set(entry.key, value);
        return deps.cache.set(items as never);
      },
    };
    const result = await warmCatalogCache({ ...deps, cache, stores, stock }, { topProducts: 2 });
    expect(result.warmed.stock).toBe(4);
    expect(stock.linesFor).toHaveBeenCalledTimes(2);
    expect(values.get(stockCacheEntry('S1', a!.id).key)).toEqual(line);
    expect(values.get(stockCacheEntry('S1', b!.id).key)).toBeNull();
    expect(values.get(stockCacheEntry('S2', a!.id).key)).toBeNull();
    expect(sets.filter((e) => e.kind === 'inventory')).toHaveLength(4);
  });

  it('warms each store’s best sellers first, then the catalogue rank, up to the limit', async () => {
    const { deps, sub, sets } = world();
    const [a, b, c] = [1, 2, 3].map((n) =>
      deps.repository.seedProduct(aProduct(sub.id, { name: `Atta ${n}` })),
    );
    // A best seller far down the catalogue rank (the limit leaves it out of the rank), and one delisted.
    const seller = deps.repository.seedProduct(aProduct(sub.id, { name: 'Zz best seller' }));
    const delisted = deps.repository.seedProduct(aProduct(sub.id, { name: 'Zz gone', isActive: false }));
    const stock = { linesFor: jest.fn(async (_storeId: string, _ids: readonly string[]) => new Map()) };
    const stores = { servingStoreIds: async () => ['S1', 'S2'] };
    const sales = {
      topSellers: jest.fn(async (storeId: string) =>
        storeId === 'S1' ? [seller.id, delisted.id, b!.id] : [],
      ),
    };
    const result = await warmCatalogCache({ ...deps, stores, stock, sales }, { topProducts: 3 });
    expect(sales.topSellers).toHaveBeenCalledWith('S1', 3);
    const linesAsked = new Map(stock.linesFor.mock.calls.map(([storeId, ids]) => [storeId, ids]));
    // S1: its sellers (the delisted one dropped), then the rank's head; S2 sold nothing: the rank.
    expect(linesAsked.get('S1')).toEqual([seller.id, b!.id]);
    expect(linesAsked.get('S2')).toEqual([a!.id, b!.id, c!.id]);
    const products = sets.filter((e) => e.kind === 'product').map((e) => e.key);
    expect(products.sort()).toEqual([a, b, c, seller].map((p) => `product:${p!.id}`).sort());
    expect(result.warmed).toMatchObject({ products: 4, stock: 5 });
  });

  it('warms no stock without stores to warm', async () => {
    const { deps, sub } = world();
    deps.repository.seedProduct(aProduct(sub.id));
    expect((await warmCatalogCache(deps, { topProducts: 1 })).warmed.stock).toBe(0);
  });

  it('reports nothing warmed when the cache does not store (Redis unreachable)', async () => {
    const store = new MemoryStore();
    store.failWith = new Error('down');
    const deps = {
      ...fakeDeps(),
      cache: new RedisCache(store, { error: () => undefined }, { cooldownMs: 0 }),
    };
    deps.repository.seedCategory(aCategory());
    expect(await warmCatalogCache(deps)).toMatchObject({
      cacheEnabled: true,
      warmed: { tree: 0, listings: 0, products: 0, stock: 0 },
    });
  });

  it('does nothing without a cache', async () => {
    const deps = { ...fakeDeps(), cache: passThroughCache };
    const spy = jest.spyOn(deps.repository, 'listCategories');
    expect(await warmCatalogCache(deps)).toMatchObject({
      cacheEnabled: false,
      warmed: { tree: 0, listings: 0, products: 0, stock: 0 },
    });
    expect(spy).not.toHaveBeenCalled();
  });

  it('ranks by catalogue order: the first product of each aisle before the second of any', async () => {
    const a = aCategory({ id: 'A', name: 'A', sortOrder: 1 });
    const b = aCategory({ id: 'B', name: 'B', sortOrder: 2 });
    const pa = [aProduct('A', { id: 'a1' }), aProduct('A', { id: 'a2' })];
    const pb = [aProduct('B', { id: 'b1' })];
    const top = await catalogueRanking.topProducts(3, {
      categories: [b, a],
      firstPages: new Map([
        ['A', pa],
        ['B', pb],
      ]),
    });
    expect(top.map((p) => p.id)).toEqual(['a1', 'b1', 'a2']);
  });
});

describe('cacheFromEnv', () => {
  it('is the pass-through cache without CACHE_ENDPOINT', () => {
    expect(cacheFromEnv({})).toBe(passThroughCache);
  });

  it('is a Redis cache with one, and refuses a malformed secret ARN', () => {
    expect(cacheFromEnv({ CACHE_ENDPOINT: '127.0.0.1:1', CACHE_TLS: 'false' }).enabled).toBe(true);
    expect(() => cacheFromEnv({ CACHE_ENDPOINT: 'x:1', CACHE_AUTH_SECRET_ARN: 'nope' })).toThrow(
      /CACHE_AUTH_SECRET_ARN/,
    );
  });
});
