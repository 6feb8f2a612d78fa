import { httpHandler } from '#shared/http/handler';
import { listCategoryProductsRoute } from '../contracts';
import { listCategoryProducts } from '../use-cases/products';
import { productSummary } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(listCategoryProductsRoute, async ({ path, query }) => {
  const page = await listCategoryProducts(deps, { categoryId: path.categoryId, ...query });
  return { items: page.items.map(productSummary), nextCursor: page.nextCursor };
});
