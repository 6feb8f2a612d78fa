/** The one place that wires the cart service to AWS. */
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { readProductsForSale } from '#shared/published/product';
import { readSavedLocation } from '#shared/published/saved-location';
import { readStockLines } from '#shared/published/stock-lines';
import { DynamoCartRepository } from './adapters/dynamodb-carts';
import type { CartDeps } from './ports';

const name = z.string().check(z.minLength(1));
const paise = z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number));

/** Full jitter, exponential from 10 ms, capped at 200 ms. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));

export function cartDeps(env: NodeJS.ProcessEnv = process.env): CartDeps {
  const vars = parseEnv(
    {
      CARTS_TABLE_NAME: name,
      CATALOG_TABLE_NAME: name,
      INVENTORY_TABLE_NAME: name,
      CUSTOMER_LOCATIONS_TABLE_NAME: name,
      FREE_DELIVERY_THRESHOLD_PAISE: paise,
      DELIVERY_FEE_PAISE: paise,
    },
    env,
  );
  return {
    carts: new DynamoCartRepository(documentClient, vars.CARTS_TABLE_NAME),
    products: { get: (ids) => readProductsForSale(documentClient, vars.CATALOG_TABLE_NAME, ids) },
    locations: {
      storeOf: async (userId) =>
        (await readSavedLocation(documentClient, vars.CUSTOMER_LOCATIONS_TABLE_NAME, userId))?.storeId,
    },
    stock: {
      lines: (storeId, ids) => readStockLines(documentClient, vars.INVENTORY_TABLE_NAME, storeId, ids),
    },
    cache: cacheFromEnv(env),
    settings: {
      freeDeliveryThresholdPaise: vars.FREE_DELIVERY_THRESHOLD_PAISE,
      deliveryFeePaise: vars.DELIVERY_FEE_PAISE,
    },
    now: () => new Date(),
    backoff,
  };
}
