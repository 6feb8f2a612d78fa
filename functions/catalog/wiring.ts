/**
 * The one place that wires the catalogue's use cases to AWS. Handlers call these at module scope, so the
 * environment is parsed once per execution environment and a missing variable fails the cold start.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { DynamoCatalogRepository } from './adapters/dynamodb-repository';
import type { CatalogDeps } from './ports';

export function catalogDeps(): CatalogDeps {
  const env = parseEnv({ CATALOG_TABLE_NAME: z.string().min(1) });
  return {
    repository: new DynamoCatalogRepository(documentClient, env.CATALOG_TABLE_NAME),
    // The pass-through cache when the function has no CACHE_ENDPOINT (cache off, or not declared).
    cache: cacheFromEnv(),
    now: () => new Date().toISOString(),
    newId: () => ulid(),
  };
}
