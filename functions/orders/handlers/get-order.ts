import { httpHandler } from '#shared/http/handler';
import { getOrderRoute } from '../contracts';
import { getOrder } from '../use-cases/lifecycle';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps();

export const handler = httpHandler(getOrderRoute, async ({ caller, path }) =>
  orderView(await getOrder(deps, caller, path.orderId)),
);
