import { httpHandler } from '#shared/http/handler';
import { listStoresRoute } from '../admin-contracts';
import { listStores } from '../use-cases/stores';
import { adminStoreView } from '../views';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(listStoresRoute, async ({ query }) => {
  const page = await listStores(deps, query);
  const now = deps.now();
  return { items: page.items.map((s) => adminStoreView(s, now)), nextCursor: page.nextCursor };
});
