import { cacheFromEnv } from '#shared/cache/index';
import { idempotentHttpHandler } from '#shared/http/idempotency';
import { cancelOrderRoute } from '../contracts';
import { cancelOrder } from '../use-cases/lifecycle';
import { sqsOrderEventPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

// The cache: a cancellation releases stock, whose cached availability it drops.
const deps = lifecycleDeps(sqsOrderEventPublisher(), process.env, cacheFromEnv());

export const handler = idempotentHttpHandler(cancelOrderRoute, async ({ caller, path, body }) =>
  orderView(await cancelOrder(deps, caller, path.orderId, body.reason)),
);
