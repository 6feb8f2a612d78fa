import { httpHandler } from '#shared/http/handler';
import { listStoreOrdersRoute } from '../contracts';
import { listStoreOrders } from '../use-cases/lifecycle';
import { readOnlyPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(readOnlyPublisher);

export const handler = httpHandler(listStoreOrdersRoute, async ({ caller, path, query }) => {
  const page = await listStoreOrders(deps, caller, { storeId: path.storeId, ...query });
  return { items: page.items.map(orderView), nextCursor: page.nextCursor };
});
