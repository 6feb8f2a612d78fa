/**
 * The one place that wires the catalogue's use cases to AWS. Handlers call these at module scope, so the
 * environment is parsed once per execution environment and a missing variable fails the cold start.
 */
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { readTopSellers } from '#shared/published/store-sales';
import {
  DynamoSavedStoreReader,
  DynamoStockReader,
  DynamoStoreDirectory,
} from './adapters/dynamodb-availability';
import type { AvailabilityDeps, CatalogDeps } from './ports';
import { catalogRepositoryDeps } from './wiring-repository';

export function catalogDeps(): CatalogDeps {
  return {
    ...catalogRepositoryDeps(),
    // The pass-through cache when the function has no CACHE_ENDPOINT (cache off, or not declared).
    cache: cacheFromEnv(),
  };
}

/** For the public product routes only: the readers of stock and saved locations (they declare those tables). */
export function availabilityDeps(): AvailabilityDeps {
  const env = parseEnv({
    INVENTORY_TABLE_NAME: z.string().check(z.minLength(1)),
    CUSTOMER_LOCATIONS_TABLE_NAME: z.string().check(z.minLength(1)),
  });
  return {
    stock: new DynamoStockReader(documentClient, env.INVENTORY_TABLE_NAME),
    savedStores: new DynamoSavedStoreReader(documentClient, env.CUSTOMER_LOCATIONS_TABLE_NAME),
  };
}

/**
 * For the warm-up functions: the catalogue with the cache, the serving stores, their best sellers and
 * their stock lines.
 */
export function warmUpDeps() {
  const env = parseEnv({
    STORES_TABLE_NAME: z.string().check(z.minLength(1)),
    INVENTORY_TABLE_NAME: z.string().check(z.minLength(1)),
    STORE_SALES_TABLE_NAME: z.string().check(z.minLength(1)),
  });
  return {
    ...catalogDeps(),
    stores: new DynamoStoreDirectory(documentClient, env.STORES_TABLE_NAME),
    stock: new DynamoStockReader(documentClient, env.INVENTORY_TABLE_NAME),
    sales: {
      topSellers: (storeId: string, limit: number) =>
        readTopSellers(documentClient, env.STORE_SALES_TABLE_NAME, storeId, { limit, now: new Date() }),
    },
  };
}
