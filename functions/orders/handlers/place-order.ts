import { idempotentHttpHandler } from '#shared/http/idempotency';
import { placeOrderRoute } from '../contracts';
import { placeOrder } from '../use-cases/checkout';
import { sqsOrderEventPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { checkoutDeps } from '../checkout-wiring';

const deps = checkoutDeps(sqsOrderEventPublisher());

export const handler = idempotentHttpHandler(placeOrderRoute, async ({ caller, body, retryUntil }) =>
  orderView(await placeOrder(deps, caller.userId, body ?? {}, { retryUntil: retryUntil() })),
);
