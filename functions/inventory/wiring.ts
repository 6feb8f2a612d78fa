/** The one place that wires the inventory service to AWS. */
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { passThroughCache, type Cache } from '#shared/cache/port';
import { parseEnv } from '#shared/env';
import { DynamoInventoryRepository } from './adapters/dynamodb-inventory';
import { DynamoStoreAccessReader } from '#shared/published/store-access-reader';
import type { InventoryDeps } from './ports';

/** Full jitter, exponential from 20 ms, capped at 250 ms (25 attempts stay within about 4 s). */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(250, 10 * 2 ** attempt));

/**
 * `changes`: the function writes stock, so it also needs the audit table (the read functions are not given
 * it, and their environment does not name it).
 */
export function inventoryDeps({
  changes = false,
  cache = passThroughCache,
}: { changes?: boolean; cache?: Cache } = {}): InventoryDeps {
  const env = parseEnv({
    INVENTORY_TABLE_NAME: z.string().check(z.minLength(1)),
    STORES_TABLE_NAME: z.string().check(z.minLength(1)),
  });
  const audit = changes
    ? parseEnv({ INVENTORY_AUDIT_TABLE_NAME: z.string().check(z.minLength(1)) }).INVENTORY_AUDIT_TABLE_NAME
    : '';
  return {
    inventory: new DynamoInventoryRepository(documentClient, {
      inventory: env.INVENTORY_TABLE_NAME,
      audit,
    }),
    stores: new DynamoStoreAccessReader(documentClient, env.STORES_TABLE_NAME),
    // Only ChangeStock passes the cache (it writes through); the read functions bundle no Redis client.
    cache,
    now: () => new Date().toISOString(),
    newId: () => ulid(),
    backoff,
  };
}
