/**
 * Products with their availability at the caller's store: `?storeId=` when given, else the store of the
 * caller's saved location (when a token came along), else none — and then no availability block.
 */
import { availabilityOf, stockCacheEntry, type Availability, type StockLine } from '#shared/published/stock';
import type { Product } from '../domain';
import type { AvailabilityDeps, CatalogDeps } from '../ports';
import { getPublicProduct, listCategoryProducts } from './products';

export interface StoreContext {
  /** `?storeId=` */
  readonly storeId?: string;
  /** The caller's user id, when a valid token came along. */
  readonly userId?: string;
}

async function storeFor(deps: AvailabilityDeps, context: StoreContext): Promise<string | undefined> {
  if (context.storeId) return context.storeId;
  return context.userId ? deps.savedStores.storeOf(context.userId) : undefined;
}

export async function getProductAt(
  deps: Pick<CatalogDeps, 'repository' | 'cache'> & AvailabilityDeps,
  productId: string,
  context: StoreContext,
): Promise<{ product: Product; availability?: Availability }> {
  const [product, storeId] = await Promise.all([getPublicProduct(deps, productId), storeFor(deps, context)]);
  if (!storeId) return { product };
  // The inventory service writes every change through to this entry; a miss reads DynamoDB.
  const line = await deps.cache.getOrLoad<StockLine | null>(
    stockCacheEntry(storeId, product.id),
    async () => (await deps.stock.linesFor(storeId, [product.id])).get(product.id) ?? null,
  );
  return { product, availability: availabilityOf(storeId, line ?? undefined) };
}

/** One page of a category's products; availability for the whole page is read with one BatchGetItem. */
export async function listCategoryProductsAt(
  deps: Pick<CatalogDeps, 'repository' | 'cache'> & AvailabilityDeps,
  request: { readonly categoryId: string; readonly limit: number; readonly cursor?: string },
  context: StoreContext,
): Promise<{
  items: readonly { product: Product; availability?: Availability }[];
  nextCursor: string | null;
}> {
  const [page, storeId] = await Promise.all([listCategoryProducts(deps, request), storeFor(deps, context)]);
  if (!storeId) return { items: page.items.map((product) => ({ product })), nextCursor: page.nextCursor };
  const lines =
    page.items.length > 0
      ? await deps.stock.linesFor(
          storeId,
          page.items.map((p) => p.id),
        )
      : new Map();
  return {
    items: page.items.map((product) => ({
      product,
      availability: availabilityOf(storeId, lines.get(product.id)),
    })),
    nextCursor: page.nextCursor,
  };
}
