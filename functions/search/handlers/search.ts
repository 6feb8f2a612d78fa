import { HttpResponse, httpHandler } from '#shared/http/handler';
import { searchRoute } from '../contracts';
import { searchProducts } from '../use-cases/search';
import { DEGRADED_HEADER, searchItem } from '../views';
import { searchDeps } from '../wiring';

const deps = searchDeps();

export const handler = httpHandler(searchRoute, async ({ query, optionalCaller }) => {
  const { storeId, ...params } = query;
  const answer = await searchProducts(deps, params, { storeId, userId: optionalCaller?.userId });
  const body = {
    items: answer.items.map(searchItem),
    facets: answer.facets,
    total: answer.total,
    nextCursor: answer.nextCursor,
  };
  return new HttpResponse(200, body, answer.degraded ? { [DEGRADED_HEADER]: 'true' } : {});
});
