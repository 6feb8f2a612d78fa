/**
 * The one place that wires the orders service to AWS; one factory per kind of function. The publisher is
 * passed in, so the read functions (which never publish) bundle no SQS client.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { cartFromItem, cartKey } from '#shared/published/cart';
import { readProductsForSale } from '#shared/published/product';
import { readSavedLocation } from '#shared/published/saved-location';
import { readStockLines } from '#shared/published/stock';
import { incrementStoreLoad } from '#shared/published/store-load';
import { STORE_ACCESS_ATTRIBUTES, storeAccessFromItem, storeKey } from '#shared/published/store-access';
import { DynamoOrdersRepository } from './adapters/dynamodb-orders';
import type { CheckoutDeps, LifecycleDeps, OrderEventPublisher } from './ports';
import type { SweeperDeps } from './use-cases/sweeper';

const name = z.string().check(z.minLength(1));
const whole = z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number));

/** Full jitter, exponential from 10 ms, capped at 250 ms. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));

function storeAccess(storesTable: string) {
  const names = Object.fromEntries(STORE_ACCESS_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  return async (storeId: string) => {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: storesTable,
        Key: storeKey(storeId),
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      }),
    );
    return Item && storeAccessFromItem(Item);
  };
}

export function checkoutDeps(
  publisher: OrderEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
): CheckoutDeps {
  const vars = parseEnv(
    {
      ORDERS_TABLE_NAME: name,
      CARTS_TABLE_NAME: name,
      CATALOG_TABLE_NAME: name,
      INVENTORY_TABLE_NAME: name,
      CUSTOMER_LOCATIONS_TABLE_NAME: name,
      STORES_TABLE_NAME: name,
      STORE_LOAD_TABLE_NAME: name,
      RESERVATION_TTL_SECONDS: whole,
      FREE_DELIVERY_THRESHOLD_PAISE: whole,
      DELIVERY_FEE_PAISE: whole,
    },
    env,
  );
  return {
    orders: new DynamoOrdersRepository(documentClient, {
      orders: vars.ORDERS_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME,
      carts: vars.CARTS_TABLE_NAME,
    }),
    publisher,
    logger,
    carts: {
      get: async (userId) => {
        const { Item } = await documentClient.send(
          new GetCommand({ TableName: vars.CARTS_TABLE_NAME, Key: cartKey(userId), ConsistentRead: true }),
        );
        return Item && cartFromItem(Item);
      },
    },
    products: { get: (ids) => readProductsForSale(documentClient, vars.CATALOG_TABLE_NAME, ids) },
    locations: {
      get: (userId) => readSavedLocation(documentClient, vars.CUSTOMER_LOCATIONS_TABLE_NAME, userId),
    },
    stores: {
      status: async (storeId) => {
        const { Item } = await documentClient.send(
          new GetCommand({
            TableName: vars.STORES_TABLE_NAME,
            Key: storeKey(storeId),
            ProjectionExpression: '#status',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        );
        return typeof Item?.status === 'string' ? Item.status : undefined;
      },
    },
    stock: {
      lines: (storeId, ids) =>
        readStockLines(documentClient, vars.INVENTORY_TABLE_NAME, storeId, ids, { consistentRead: true }),
    },
    storeLoad: {
      increment: (storeId, at) => incrementStoreLoad(documentClient, vars.STORE_LOAD_TABLE_NAME, storeId, at),
    },
    cache: cacheFromEnv(env),
    settings: {
      reservationTtlSeconds: vars.RESERVATION_TTL_SECONDS,
      freeDeliveryThresholdPaise: vars.FREE_DELIVERY_THRESHOLD_PAISE,
      deliveryFeePaise: vars.DELIVERY_FEE_PAISE,
    },
    now: () => new Date(),
    newId: () => ulid(),
    backoff,
  };
}

/** Reading, listing and transitions: Orders, Stores (who works where) and, to move stock, Inventory. */
export function lifecycleDeps(
  publisher: OrderEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
): LifecycleDeps {
  // The read functions are not given Inventory (their environment does not name it); transitions are.
  const vars = parseEnv(
    { ORDERS_TABLE_NAME: name, INVENTORY_TABLE_NAME: z.optional(name), STORES_TABLE_NAME: name },
    env,
  );
  return {
    orders: new DynamoOrdersRepository(documentClient, {
      orders: vars.ORDERS_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME ?? '',
    }),
    publisher,
    logger,
    stores: { access: storeAccess(vars.STORES_TABLE_NAME) },
    now: () => new Date(),
    backoff,
  };
}

/** The sweeper: Orders and Inventory only (it never reads carts, stores or the catalogue). */
export function sweeperDeps(
  publisher: OrderEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
): SweeperDeps {
  const vars = parseEnv({ ORDERS_TABLE_NAME: name, INVENTORY_TABLE_NAME: name }, env);
  return {
    orders: new DynamoOrdersRepository(documentClient, {
      orders: vars.ORDERS_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME,
    }),
    publisher,
    logger,
    now: () => new Date(),
  };
}
