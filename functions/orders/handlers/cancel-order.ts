import { idempotentHttpHandler } from '#shared/http/idempotency';
import { cancelOrderRoute } from '../contracts';
import { cancelOrder } from '../use-cases/lifecycle';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps();

export const handler = idempotentHttpHandler(cancelOrderRoute, async ({ caller, path, body }) =>
  orderView(await cancelOrder(deps, caller, path.orderId, body.reason)),
);
