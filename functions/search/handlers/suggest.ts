import { HttpResponse, httpHandler } from '#shared/http/handler';
import { suggestRoute } from '../contracts';
import { suggest } from '../use-cases/search';
import { DEGRADED_HEADER } from '../views';
import { suggestDeps } from '../wiring';

const deps = suggestDeps();

export const handler = httpHandler(suggestRoute, async ({ query }) => {
  const { suggestions, degraded } = await suggest(deps, query.q);
  return new HttpResponse(200, { suggestions }, degraded ? { [DEGRADED_HEADER]: 'true' } : {});
});
