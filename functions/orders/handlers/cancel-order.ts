import { idempotentHttpHandler } from '#shared/http/idempotency';
import { cancelOrderRoute } from '../contracts';
import { cancelOrder } from '../use-cases/lifecycle';
import { sqsOrderEventPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(sqsOrderEventPublisher());

export const handler = idempotentHttpHandler(cancelOrderRoute, async ({ caller, path, body }) =>
  orderView(await cancelOrder(deps, caller, path.orderId, body.reason)),
);
