import { httpHandler } from '#shared/http/handler';
import { createProductRoute } from '../admin-contracts';
import { createProduct } from '../use-cases/products';
import { productView } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(createProductRoute, async ({ body }) =>
  productView(await createProduct(deps, body)),
);
