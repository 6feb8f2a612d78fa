import { httpHandler } from '#shared/http/handler';
import { getStockRoute } from '../contracts';
import { getLine } from '../use-cases/stock';
import { stockLineResponse } from '../views';
import { inventoryDeps } from '../wiring';

const deps = inventoryDeps();

export const handler = httpHandler(getStockRoute, async ({ caller, path }) =>
  stockLineResponse(await getLine(deps, caller, path.storeId, path.productId)),
);
