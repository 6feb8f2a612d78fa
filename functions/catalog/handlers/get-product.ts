import { httpHandler } from '#shared/http/handler';
import { getProductRoute } from '../contracts';
import { getProductAt } from '../use-cases/availability';
import { productView } from '../views';
import { availabilityDeps, catalogDeps } from '../wiring';

const deps = { ...catalogDeps(), ...availabilityDeps() };

export const handler = httpHandler(getProductRoute, async ({ path, query, optionalCaller }) => {
  const { product, availability } = await getProductAt(deps, path.productId, {
    storeId: query.storeId,
    userId: optionalCaller?.userId,
  });
  return { ...productView(product), ...(availability ? { availability } : {}) };
});
