import { httpHandler } from '#shared/http/handler';
import { warmCacheRoute } from '../admin-contracts';
import { warmCatalogCache } from '../use-cases/warm-up';
import { warmUpDeps } from '../wiring';

const deps = warmUpDeps();

export const handler = httpHandler(warmCacheRoute, async ({ body }) =>
  warmCatalogCache(deps, { topProducts: body?.topProducts }),
);
