import { httpHandler } from '#shared/http/handler';
import { listOrdersRoute } from '../contracts';
import { listMyOrders } from '../use-cases/lifecycle';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps();

export const handler = httpHandler(listOrdersRoute, async ({ caller, query }) => {
  const page = await listMyOrders(deps, caller, query);
  return { items: page.items.map(orderView), nextCursor: page.nextCursor };
});
