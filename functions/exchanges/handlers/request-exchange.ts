import { idempotentHttpHandler } from '#shared/http/idempotency';
import { requestExchangeRoute } from '../contracts';
import { requestExchange } from '../use-cases/exchanges';
import { exchangeView } from '../views';
import { exchangeDeps } from '../wiring';

const deps = exchangeDeps();

export const handler = idempotentHttpHandler(requestExchangeRoute, async ({ caller, path, body }) =>
  exchangeView(await requestExchange(deps, caller, path.orderId, body)),
);
