/**
 * Wires the orders service to AWS: one factory per kind of function (checkout's, which also reaches the
 * cache, is in checkout-wiring.ts so the other functions bundle no Redis client; the releasing handlers
 * pass theirs in). The publisher is
 * passed in, so the read functions (which never publish) bundle no SQS client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import type { Cache } from '#shared/cache/port';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { readStoreAccess } from '#shared/published/store-access-reader';
import { recordSales } from '#shared/published/store-sales';
import { DynamoOrdersRepository } from './adapters/dynamodb-orders';
import type { LifecycleDeps, OrderEventPublisher } from './ports';
import type { SweeperDeps } from './use-cases/sweeper';

export const name = z.string().check(z.minLength(1));
export const whole = z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number));

/** Full jitter, exponential from 10 ms, capped at 250 ms. */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));

const storeAccess = (storesTable: string) => (storeId: string) =>
  readStoreAccess(documentClient, storesTable, storeId);

/** Reading, listing and transitions: Orders, Stores (who works where) and, to move stock, Inventory. */
export function lifecycleDeps(
  publisher: OrderEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
  cache?: Cache,
): LifecycleDeps {
  // The read functions are not given Inventory (their environment does not name it); transitions are.
  const vars = parseEnv(
    {
      ORDERS_TABLE_NAME: name,
      INVENTORY_TABLE_NAME: z.optional(name),
      STORES_TABLE_NAME: name,
      STORE_SALES_TABLE_NAME: z.optional(name),
    },
    env,
  );
  const salesTable = vars.STORE_SALES_TABLE_NAME;
  return {
    orders: new DynamoOrdersRepository(documentClient, {
      orders: vars.ORDERS_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME ?? '',
    }),
    publisher,
    logger,
    stores: { access: storeAccess(vars.STORES_TABLE_NAME) },
    ...(salesTable
      ? {
          sales: {
            record: (order, at) => recordSales(documentClient, salesTable, order.storeId, at, order.lines),
          },
        }
      : {}),
    ...(cache ? { cache } : {}),
    now: () => new Date(),
    backoff,
  };
}

/** The sweeper: Orders and Inventory only (it never reads carts, stores or the catalogue). */
export function sweeperDeps(
  publisher: OrderEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
  cache?: Cache,
): SweeperDeps {
  const vars = parseEnv({ ORDERS_TABLE_NAME: name, INVENTORY_TABLE_NAME: name }, env);
  return {
    orders: new DynamoOrdersRepository(documentClient, {
      orders: vars.ORDERS_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME,
    }),
    publisher,
    logger,
    ...(cache ? { cache } : {}),
    now: () => new Date(),
  };
}
