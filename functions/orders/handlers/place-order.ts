import { idempotentHttpHandler } from '#shared/http/idempotency';
import { placeOrderRoute } from '../contracts';
import { placeOrder } from '../use-cases/checkout';
import { orderView } from '../views';
import { checkoutDeps } from '../wiring';

const deps = checkoutDeps();

export const handler = idempotentHttpHandler(placeOrderRoute, async ({ caller, body }) =>
  orderView(await placeOrder(deps, caller.userId, body ?? {})),
);
