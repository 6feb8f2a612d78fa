import { httpHandler } from '#shared/http/handler';
import { deleteCategoryRoute } from '../admin-contracts';
import { deleteCategory } from '../use-cases/categories';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(deleteCategoryRoute, async ({ path }) => {
  await deleteCategory(deps, path.categoryId);
});
