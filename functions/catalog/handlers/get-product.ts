import { httpHandler } from '#shared/http/handler';
import { getProductRoute } from '../contracts';
import { getPublicProduct } from '../use-cases/products';
import { productView } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(getProductRoute, async ({ path }) =>
  productView(await getPublicProduct(deps, path.productId)),
);
