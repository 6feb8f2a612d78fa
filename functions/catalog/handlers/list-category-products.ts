import { httpHandler } from '#shared/http/handler';
import { listCategoryProductsRoute } from '../contracts';
import { listCategoryProductsAt } from '../use-cases/availability';
import { productSummary } from '../views';
import { availabilityDeps, catalogDeps } from '../wiring';

const deps = { ...catalogDeps(), ...availabilityDeps() };

export const handler = httpHandler(listCategoryProductsRoute, async ({ path, query, optionalCaller }) => {
  const { storeId, ...page } = query;
  const result = await listCategoryProductsAt(
    deps,
    { categoryId: path.categoryId, ...page },
    { storeId, userId: optionalCaller?.userId },
  );
  return {
    items: result.items.map(({ product, availability }) => ({
      ...productSummary(product),
      ...(availability ? { availability } : {}),
    })),
    nextCursor: result.nextCursor,
  };
});
