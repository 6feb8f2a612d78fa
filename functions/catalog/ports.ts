/**
 * What the catalogue's use cases need from the outside world. The DynamoDB and S3 adapters implement
 * these for Lambda; unit tests pass in-memory fakes that keep the same guarantees.
 */
import type { Cache } from '#shared/cache/port';
import type { StockLine } from '#shared/published/stock';
import type { Category, Product, ProductPosition } from './domain';

export interface ProductPage {
  readonly items: readonly Product[];
  /** Position of the last item returned when more may follow. */
  readonly next?: ProductPosition;
}

/**
 * Storage of categories and products. Every write is atomic and re-checks, at write time, the facts the
 * use case relied on; when one no longer holds it fails with a DomainError:
 * - slug or SKU taken → 409 (field error on slug / sku);
 * - the category (or a referenced category) is gone → 404;
 * - a referenced parent is no longer top-level → 409;
 * - anything else changed since it was read (version, counters, parent) → 409.
 */
export interface CatalogRepository {
  listCategories(): Promise<Category[]>;
  getCategory(id: string): Promise<Category | undefined>;
  /** Adds the category and claims its slug; a subcategory also needs `parent` to still be top-level. */
  createCategory(category: Category, parent?: Category): Promise<void>;
  /**
   * Replaces `before` (same version) by `after`, swapping the slug claim when it changed. A change of parent
   * needs the category to have no products and no subcategories at write time, and the new parent to be
   * top-level.
   */
  updateCategory(before: Category, after: Category): Promise<void>;
  /** Removes the category (which must have no products and no subcategories) and frees its slug. */
  deleteCategory(category: Category): Promise<void>;

  getProduct(id: string): Promise<Product | undefined>;
  /** Adds the product, claims its slug and SKU and counts it in `category` (which must still have the same parent). */
  createProduct(product: Product, category: Category): Promise<void>;
  /** Replaces `before` (same version) by `after`: swaps claims, moves counters and listing keys. */
  updateProduct(
    before: Product,
    after: Product,
    categories: { readonly before: Category; readonly after: Category },
  ): Promise<void>;
  deleteProduct(product: Product): Promise<void>;

  /**
   * Active products of a category in (sortName, id) order, starting after `after`: a subcategory's own
   * products, or for a top-level category its own and all its subcategories' products.
   */
  listActiveProducts(
    category: Category,
    page: { readonly limit: number; readonly after?: ProductPosition },
  ): Promise<ProductPage>;
}

export interface ImageUploadSigner {
  /** A URL that accepts exactly one PUT of `contentLength` bytes of `contentType` at `key`. */
  presignPut(request: {
    readonly key: string;
    readonly contentType: string;
    readonly contentLength: number;
    readonly expiresInSeconds: number;
  }): Promise<string>;
}

/**
 * Which products the warm-up loads for every store: the catalogue rank (the first products of each category
 * listing, `catalogueRanking`), which fills in after a store's own best sellers (`SalesRanking`).
 * `firstPages` are the listing pages the warm-up has just loaded (category id → products).
 */
export interface WarmUpRanking {
  topProducts(
    limit: number,
    context: {
      readonly firstPages: ReadonlyMap<string, readonly Product[]>;
      readonly categories: readonly Category[];
    },
  ): Promise<readonly Product[]>;
}

/** Everything a catalogue use case may depend on. */
export interface CatalogDeps {
  readonly repository: CatalogRepository;
  /** Cache-aside for public reads; admin changes invalidate it (functions/catalog/cache-keys.ts). */
  readonly cache: Cache;
  /** ISO 8601 UTC timestamp of now. */
  readonly now: () => string;
  /** A new ULID. */
  readonly newId: () => string;
}

/** Stock lines of one store (published layout: functions/shared/published/stock.ts). */
export interface StockReader {
  /** The lines of these products at the store that exist, keyed by product id; one BatchGetItem per 100. */
  linesFor(storeId: string, productIds: readonly string[]): Promise<Map<string, StockLine>>;
}

/** The store a customer's saved location resolved to (published layout: shared/published/saved-location.ts). */
export interface SavedStoreReader {
  storeOf(userId: string): Promise<string | undefined>;
}

/** The stores whose stock the warm-up loads (published layout: shared/published/store-access.ts). */
export interface StoreDirectory {
  servingStoreIds(): Promise<readonly string[]>;
}

/** A store's best sellers of the last days (published StoreSales), best first; empty if it sold nothing. */
export interface SalesRanking {
  topSellers(storeId: string, limit: number): Promise<readonly string[]>;
}

export interface AvailabilityDeps {
  readonly stock: StockReader;
  readonly savedStores: SavedStoreReader;
}
