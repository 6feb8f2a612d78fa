/**
 * Checkout's wiring: it alone reads carts, prices, saved locations and stock, and invalidates cache
 * entries, so it alone bundles the cache client (wiring.ts stays free of it for the other functions).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { cartFromItem, cartKey } from '#shared/published/cart';
import { readProductsForSale } from '#shared/published/product';
import { readSavedLocation } from '#shared/published/saved-location';
import { STORE_OPENING_ATTRIBUTES, takesOrdersAt } from '#shared/published/store-hours';
import { readStockLines } from '#shared/published/stock-lines';
import { incrementStoreLoad } from '#shared/published/store-load';
import { storeKey } from '#shared/published/store-access';
import { DynamoOrdersRepository } from './adapters/dynamodb-orders';
import type { CheckoutDeps, OrderEventPublisher } from './ports';
import { backoff, name, whole } from './wiring';

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
      takesOrdersAt: async (storeId, at) => {
        const { Item } = await documentClient.send(
          new GetCommand({
            TableName: vars.STORES_TABLE_NAME,
            Key: storeKey(storeId),
            ProjectionExpression: STORE_OPENING_ATTRIBUTES.join(', '),
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        );
        return takesOrdersAt(Item, at);
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
