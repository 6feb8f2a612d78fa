import { httpHandler } from '#shared/http/handler';
import { listStockRoute } from '../contracts';
import { listLines } from '../use-cases/stock';
import { stockLineView } from '../views';
import { inventoryDeps } from '../wiring';

const deps = inventoryDeps();

export const handler = httpHandler(listStockRoute, async ({ caller, path, query }) => {
  const page = await listLines(deps, caller, { storeId: path.storeId, ...query });
  return { items: page.items.map(stockLineView), nextCursor: page.nextCursor };
});
