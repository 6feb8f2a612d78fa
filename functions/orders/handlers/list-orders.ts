import { httpHandler } from '#shared/http/handler';
import { listOrdersRoute } from '../contracts';
import { listMyOrders } from '../use-cases/lifecycle';
import { readOnlyPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(readOnlyPublisher);

export const handler = httpHandler(listOrdersRoute, async ({ caller, query }) => {
  const page = await listMyOrders(deps, caller, query);
  return { items: page.items.map(orderView), nextCursor: page.nextCursor };
});
