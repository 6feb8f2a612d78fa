import { cacheFromEnv } from '#shared/cache/index';
import { httpHandler } from '#shared/http/handler';
import { changeStockRoute } from '../contracts';
import { parseIfMatch } from '../domain';
import { changeStock } from '../use-cases/stock';
import { stockLineResponse } from '../views';
import { inventoryDeps } from '../wiring';

const deps = inventoryDeps({ changes: true, cache: cacheFromEnv() });
/** Time kept back from the function's timeout for the last attempt and the answer. */
const LAST_ATTEMPT_MS = 2_000;

export const handler = httpHandler(
  changeStockRoute,
  async ({ caller, path, body, headers, remainingTimeMs }) => {
    const { reason, set, adjust } = body;
    const line = await changeStock(deps, caller, {
      ...path,
      change: set !== undefined ? { set } : { adjust: adjust! },
      reason,
      ifMatch: parseIfMatch(headers['if-match']),
      retryUntil: Date.now() + remainingTimeMs() - LAST_ATTEMPT_MS,
    });
    return stockLineResponse(line);
  },
);
