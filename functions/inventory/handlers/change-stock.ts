import { cacheFromEnv } from '#shared/cache/index';
import { httpHandler } from '#shared/http/handler';
import { changeStockRoute } from '../contracts';
import { parseIfMatch } from '../domain';
import { changeStock } from '../use-cases/stock';
import { stockLineResponse } from '../views';
import { inventoryDeps } from '../wiring';

const deps = inventoryDeps({ changes: true, cache: cacheFromEnv() });

export const handler = httpHandler(changeStockRoute, async ({ caller, path, body, headers, retryUntil }) => {
  const { reason, set, adjust } = body;
  const line = await changeStock(deps, caller, {
    ...path,
    change: set !== undefined ? { set } : { adjust: adjust! },
    reason,
    ifMatch: parseIfMatch(headers['if-match']),
    retryUntil: retryUntil(),
  });
  return stockLineResponse(line);
});
