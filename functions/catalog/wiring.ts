/**
 * The one place that wires the catalogue's use cases to AWS. Handlers call these at module scope, so the
 * environment is parsed once per execution environment and a missing variable fails the cold start.
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { DynamoSavedStoreReader, DynamoStockReader } from './adapters/dynamodb-availability';
import { DynamoCatalogRepository } from './adapters/dynamodb-repository';
import type { AvailabilityDeps, CatalogDeps } from './ports';

export function catalogDeps(): CatalogDeps {
  const env = parseEnv({ CATALOG_TABLE_NAME: z.string().check(z.minLength(1)) });
  return {
    repository: new DynamoCatalogRepository(documentClient, env.CATALOG_TABLE_NAME),
    now: () => new Date().toISOString(),
    newId: () => ulid(),
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
