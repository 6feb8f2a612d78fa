import { httpHandler } from '#shared/http/handler';
import { listExchangesRoute } from '../contracts';
import { listExchanges } from '../use-cases/exchanges';
import { exchangeView } from '../views';
import { exchangeReadDeps } from '../wiring';

const deps = exchangeReadDeps();

export const handler = httpHandler(listExchangesRoute, async ({ query }) => {
  const page = await listExchanges(deps, query);
  return { items: page.items.map(exchangeView), nextCursor: page.nextCursor };
});
