import { httpHandler } from '#shared/http/handler';
import { updateCategoryRoute } from '../admin-contracts';
import { updateCategory } from '../use-cases/categories';
import { categoryView } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(updateCategoryRoute, async ({ path, body }) =>
  categoryView(await updateCategory(deps, path.categoryId, body)),
);
