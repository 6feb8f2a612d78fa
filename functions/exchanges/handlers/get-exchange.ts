import { httpHandler } from '#shared/http/handler';
import { getExchangeRoute } from '../contracts';
import { getExchange } from '../use-cases/exchanges';
import { exchangeView } from '../views';
import { exchangeReadDeps } from '../wiring';

const deps = exchangeReadDeps();

export const handler = httpHandler(getExchangeRoute, async ({ caller, path }) =>
  exchangeView(await getExchange(deps, caller, path.exchangeId)),
);
