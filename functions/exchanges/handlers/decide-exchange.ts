import { httpHandler } from '#shared/http/handler';
import { decideExchangeRoute } from '../contracts';
import { decideExchange } from '../use-cases/exchanges';
import { exchangeView } from '../views';
import { exchangeDeps } from '../wiring';

const deps = exchangeDeps();

export const handler = httpHandler(decideExchangeRoute, async ({ caller, path, body }) =>
  exchangeView(await decideExchange(deps, caller, path.exchangeId, body)),
);
