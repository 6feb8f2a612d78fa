/** Reading and changing a store's stock: membership checks, conditional writes, audit, retries on races. */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { Caller } from '#shared/http/identity';
import {
  applyChange,
  inventoryErrors,
  mayManageStock,
  ULID_PATTERN,
  type StockChange,
  type StockLine,
} from '../domain';
import { stockCacheEntry } from '#shared/published/stock';
import type { InventoryDeps } from '../ports';
import { once } from '#shared/once';

/**
 * Attempts before answering 409 `contention` (nothing written, safe to retry): each lost race (another
 * change got in between our read and our write) waits a jittered backoff and tries again on the new count.
 */
export const MAX_ATTEMPTS = 25;

async function authorize(
  deps: Pick<InventoryDeps, 'stores'>,
  caller: Caller,
  storeId: string,
): Promise<void> {
  const store = await deps.stores.getAccess(storeId);
  if (!store) throw inventoryErrors.storeNotFound(storeId);
  if (!mayManageStock(caller, store)) throw inventoryErrors.forbidden();
}

export async function getLine(
  deps: InventoryDeps,
  caller: Caller,
  storeId: string,
  productId: string,
): Promise<StockLine> {
  await authorize(deps, caller, storeId);
  const line = await deps.inventory.getLine(storeId, productId);
  if (!line) throw inventoryErrors.lineNotFound(storeId, productId);
  return line;
}

const scope = (storeId: string) => `inventory:${storeId}`;
const positionSchema = once(() => z.strictObject({ p: z.string().check(z.regex(ULID_PATTERN)) }));

export async function listLines(
  deps: InventoryDeps,
  caller: Caller,
  request: { readonly storeId: string; readonly limit: number; readonly cursor?: string },
): Promise<{ items: readonly StockLine[]; nextCursor: string | null }> {
  const position = decodeCursor(request.cursor, scope(request.storeId), positionSchema);
  await authorize(deps, caller, request.storeId);
  const page = await deps.inventory.listLines(request.storeId, { limit: request.limit, after: position?.p });
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor({ p: page.next }, scope(request.storeId)) : null,
  };
}

export interface ChangeRequest {
  readonly storeId: string;
  readonly productId: string;
  readonly change: StockChange;
  readonly reason: string;
  /** The version the caller last saw (If-Match); a different current version is a 412. */
  readonly ifMatch?: number;
  /**
   * Epoch ms after which a lost race answers 409 `contention` instead of trying again, so that a hot line
   * gives the client a clear, retryable answer before the function's timeout cuts the request off.
   */
  readonly retryUntil?: number;
}

/**
 * Read, check, write conditionally on the version read, with the audit record in the same transaction.
 * A lost race re-reads and tries again (with If-Match it is a 412 instead): nothing is ever lost and the
 * count never goes negative, because every write is conditional on the exact state it was computed from.
 */
export async function changeStock(
  deps: InventoryDeps,
  caller: Caller,
  request: ChangeRequest,
): Promise<StockLine> {
  await authorize(deps, caller, request.storeId);
  // The line as the last failed write found it (saves a read), `null` if it was gone, undefined: read it.
  let known: StockLine | null | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      if (request.retryUntil !== undefined && Date.parse(deps.now()) >= request.retryUntil) break;
      await deps.backoff(attempt);
    }
    const before =
      known === undefined
        ? await deps.inventory.getLine(request.storeId, request.productId)
        : (known ?? undefined);
    if (!before) throw inventoryErrors.lineNotFound(request.storeId, request.productId);
    if (request.ifMatch !== undefined && before.version !== request.ifMatch)
      throw inventoryErrors.stale(before.version);
    const now = deps.now();
    const after = applyChange(before, request.change, now);
    if (after.available === before.available) return before;
    const outcome = await deps.inventory.writeChange(before, after, {
      auditId: deps.newId(),
      storeId: request.storeId,
      productId: request.productId,
      userId: caller.userId,
      roles: caller.roles,
      at: now,
      reason: request.reason,
      change: request.change,
      before: { available: before.available, reserved: before.reserved, version: before.version },
      after: { available: after.available, reserved: after.reserved, version: after.version },
    });
    if (outcome.written) {
      // Write-through, never a failure: the line is in DynamoDB, and the cache fails open.
      await deps.cache.set([{ entry: stockCacheEntry(after.storeId, after.productId), value: after }]);
      return after;
    }
    known = outcome.current;
  }
  throw inventoryErrors.contention();
}
