import { httpHandler } from '#shared/http/handler';
import { getOrderRoute } from '../contracts';
import { getOrder } from '../use-cases/lifecycle';
import { readOnlyPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(readOnlyPublisher);

export const handler = httpHandler(getOrderRoute, async ({ caller, path }) =>
  orderView(await getOrder(deps, caller, path.orderId)),
);
