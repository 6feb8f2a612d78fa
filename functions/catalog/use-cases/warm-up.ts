/**
 * Cache warm-up, one use case for the admin route (POST /v1/admin/cache/warm) and the scheduled function:
 * the category tree, the first page (default size) of every category listing — what a client opening
 * the app reads first — and the top products: with the stores and stock given, per store that serves
 * customers its own best sellers of the last days (`SalesRanking`) filled up to the limit by the
 * catalogue rank, each product's detail and its stock line at that store (what the product page shows);
 * without stores, the catalogue rank's products.
 */
import { DEFAULT_PAGE_LIMIT } from '#shared/http/cursor';
import { listingEntry, productEntry, treeEntry } from '../cache-keys';
import type { Category, Product } from '../domain';
import { stockCacheEntry } from '#shared/published/stock';
import type { CatalogDeps, SalesRanking, StockReader, StoreDirectory, WarmUpRanking } from '../ports';
import { loadListing, type ProductListing } from './products';

export const DEFAULT_WARM_UP_PRODUCTS = 200;
/** Listing queries in flight at once: enough to finish in seconds, few enough not to burst DynamoDB. */
const LISTING_CONCURRENCY = 8;

export interface WarmUpResult {
  readonly cacheEnabled: boolean;
  readonly warmed: {
    readonly tree: number;
    readonly listings: number;
    readonly products: number;
    /** Stock lines (store × that store's top product) stored; 0 without stores to warm. */
    readonly stock: number;
  };
  readonly tookMs: number;
}

type Deps = Pick<CatalogDeps, 'repository' | 'cache'> & {
  readonly ranking?: WarmUpRanking;
  /** With both, the top products' stock lines are warmed at every serving store. */
  readonly stores?: StoreDirectory;
  readonly stock?: StockReader;
  /** Each store's best sellers come first; without it every store warms the catalogue rank. */
  readonly sales?: SalesRanking;
};

export async function warmCatalogCache(
  deps: Deps,
  request: { readonly topProducts?: number } = {},
): Promise<WarmUpResult> {
  const started = Date.now();
  const { repository, cache } = deps;
  // Without a cache there is nothing to warm: do not read the whole catalogue for nothing.
  if (!cache.enabled)
    return { cacheEnabled: false, warmed: { tree: 0, listings: 0, products: 0, stock: 0 }, tookMs: 0 };

  const categories = await repository.listCategories();
  // Counts are of what was stored: with Redis unreachable they stay 0 (the call still succeeds).
  const tree = (await cache.set([{ entry: treeEntry, value: categories }])) ? 1 : 0;

  const firstPages = new Map<string, readonly Product[]>();
  const listings: { entry: ReturnType<typeof listingEntry>; value: ProductListing }[] = [];
  await forEachLimited(categories, LISTING_CONCURRENCY, async (category) => {
    const page = await loadListing(
      repository,
      { categoryId: category.id, limit: DEFAULT_PAGE_LIMIT },
      undefined,
    );
    firstPages.set(category.id, page.items);
    listings.push({ entry: listingEntry(category.id, DEFAULT_PAGE_LIMIT), value: page });
  });
  const listingsStored = (await cache.set(listings)) ? listings.length : 0;

  const limit = request.topProducts ?? DEFAULT_WARM_UP_PRODUCTS;
  const ranking = deps.ranking ?? catalogueRanking;
  const ranked = limit > 0 ? await ranking.topProducts(limit, { firstPages, categories }) : [];
  const perStore = await storeSelections(deps, ranked, limit);
  const products = await productsOf(deps, ranked, perStore);
  const productsStored = (await cache.set(
    products.map((product) => ({ entry: productEntry(product.id), value: product })),
  ))
    ? products.length
    : 0;

  const stockStored = await warmStock(deps, perStore, new Set(products.map((p) => p.id)));

  return {
    cacheEnabled: true,
    warmed: { tree, listings: listingsStored, products: productsStored, stock: stockStored },
    tookMs: Date.now() - started,
  };
}

/** Per serving store, the products to warm there: its best sellers, then the catalogue rank, up to `limit`. */
async function storeSelections(
  deps: Deps,
  ranked: readonly Product[],
  limit: number,
): Promise<Map<string, readonly string[]>> {
  const selections = new Map<string, readonly string[]>();
  if (!deps.stores || !deps.stock || limit <= 0) return selections;
  const { sales } = deps;
  await forEachLimited(await deps.stores.servingStoreIds(), LISTING_CONCURRENCY, async (storeId) => {
    const sellers = sales ? await sales.topSellers(storeId, limit) : [];
    const ids = new Set(sellers);
    for (const product of ranked) {
      if (ids.size >= limit) break;
      ids.add(product.id);
    }
    selections.set(storeId, [...ids]);
  });
  return selections;
}

/**
 * The products to cache: the catalogue rank's, and the best sellers that are not among them (read one by
 * one, a few at a time; a product no longer for sale is left out).
 */
async function productsOf(
  deps: Deps,
  ranked: readonly Product[],
  perStore: ReadonlyMap<string, readonly string[]>,
): Promise<Product[]> {
  const byId = new Map(ranked.map((p) => [p.id, p]));
  const missing = [...new Set([...perStore.values()].flat())].filter((id) => !byId.has(id));
  await forEachLimited(missing, LISTING_CONCURRENCY, async (id) => {
    const product = await deps.repository.getProduct(id);
    if (product?.isActive) byId.set(id, product);
  });
  return [...byId.values()];
}

/** Each store's selected products' lines there (a product the store does not stock is cached as none). */
async function warmStock(
  deps: Deps,
  perStore: ReadonlyMap<string, readonly string[]>,
  forSale: ReadonlySet<string>,
): Promise<number> {
  const { stock, cache } = deps;
  if (!stock) return 0;
  let stored = 0;
  await forEachLimited([...perStore], LISTING_CONCURRENCY, async ([storeId, selected]) => {
    const ids = selected.filter((id) => forSale.has(id));
    if (ids.length === 0) return;
    const lines = await stock.linesFor(storeId, ids);
    const items = ids.map((id) => ({ entry: stockCacheEntry(storeId, id), value: lines.get(id) ?? null }));
    if (await cache.set(items)) stored += items.length;
  });
  return stored;
}

/**
 * Catalogue rank: round-robin over the subcategory listings in display order (sortOrder, then name),
 * taking each listing's first product, then each one's second, and so on — so every aisle gets its
 * head products before any aisle gets its tail. Top-level listings repeat their subcategories' products
 * and are only used for categories without subcategories.
 */
export const catalogueRanking: WarmUpRanking = {
  async topProducts(limit, { firstPages, categories }) {
    const parents = new Set(categories.flatMap((c) => (c.parentId ? [c.parentId] : [])));
    const aisles = [...categories]
      .filter((c) => !parents.has(c.id))
      .sort(byDisplayOrder)
      .map((c) => firstPages.get(c.id) ?? []);
    const chosen = new Map<string, Product>();
    for (let rank = 0; chosen.size < limit && aisles.some((a) => rank < a.length); rank++) {
      for (const aisle of aisles) {
        const product = aisle[rank];
        if (product && !chosen.has(product.id)) chosen.set(product.id, product);
        if (chosen.size >= limit) break;
      }
    }
    return [...chosen.values()];
  },
};

const byDisplayOrder = (a: Category, b: Category) =>
  a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1);

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
