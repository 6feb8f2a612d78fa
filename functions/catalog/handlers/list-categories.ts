import { httpHandler } from '#shared/http/handler';
import { listCategoriesRoute } from '../contracts';
import { listCategories } from '../use-cases/categories';
import { categoryTree } from '../views';
import { catalogDeps } from '../wiring';

const deps = catalogDeps();

export const handler = httpHandler(listCategoriesRoute, async () => ({
  items: categoryTree(await listCategories(deps)),
}));
