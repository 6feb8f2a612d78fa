/**
 * The catalogue's storage wiring without the cache, for functions that do not declare the cache (the
 * image upload URL): importing wiring.ts would bundle the Redis client into them.
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { DynamoCatalogRepository } from './adapters/dynamodb-repository';
import type { CatalogDeps } from './ports';

export function catalogRepositoryDeps(): Omit<CatalogDeps, 'cache'> {
  const env = parseEnv({ CATALOG_TABLE_NAME: z.string().check(z.minLength(1)) });
  return {
    repository: new DynamoCatalogRepository(documentClient, env.CATALOG_TABLE_NAME),
    now: () => new Date().toISOString(),
    newId: () => ulid(),
  };
}
