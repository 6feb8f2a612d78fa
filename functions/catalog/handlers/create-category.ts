import { httpHandler } from '#shared/http/handler';
import { createCategoryRoute } from '../admin-contracts';
import { createCategory } from '../use-cases/categories';
import { categoryView } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(createCategoryRoute, async ({ body }) =>
  categoryView(await createCategory(deps, body)),
);
