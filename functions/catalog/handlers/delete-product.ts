import { httpHandler } from '#shared/http/handler';
import { deleteProductRoute } from '../admin-contracts';
import { deleteProduct } from '../use-cases/products';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(deleteProductRoute, async ({ path }) => {
  await deleteProduct(deps, path.productId);
});
