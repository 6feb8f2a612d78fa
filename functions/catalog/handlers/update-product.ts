import { httpHandler } from '#shared/http/handler';
import { updateProductRoute } from '../admin-contracts';
import { updateProduct } from '../use-cases/products';
import { productView } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(updateProductRoute, async ({ path, body }) =>
  productView(await updateProduct(deps, path.productId, body)),
);
