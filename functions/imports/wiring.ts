/**
 * The one place that wires the imports service to AWS: one factory per kind of function, so each parses
 * only the variables of what it declared (and bundles only those clients).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { s3Client } from '#shared/aws/s3';
import { passThroughCache, type Cache } from '#shared/cache/port';
import { parseEnv } from '#shared/env';
import { DynamoImportRepository } from './adapters/dynamodb-imports';
import { DynamoStockWriter } from './adapters/dynamodb-stock-writer';
import { S3ObjectStore } from './adapters/s3-objects';
import type { ApplyDeps, ImportDeps, WarmDeps } from './ports';

const name = z.string().check(z.minLength(1));

/** Full jitter, exponential from 20 ms, capped at 1 s. */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(1000, 10 * 2 ** attempt));

const now = () => new Date().toISOString();

export function importDeps(): ImportDeps {
  const env = parseEnv({ INVENTORY_IMPORT_RECORDS_TABLE_NAME: name });
  return {
    imports: new DynamoImportRepository(documentClient, env.INVENTORY_IMPORT_RECORDS_TABLE_NAME),
    now,
    newId: () => ulid(),
  };
}

const objects = () =>
  new S3ObjectStore(
    s3Client,
    parseEnv({ INVENTORY_IMPORTS_BUCKET_NAME: name }).INVENTORY_IMPORTS_BUCKET_NAME,
  );

const stockWriter = (audit: boolean) => {
  const env = parseEnv({ INVENTORY_TABLE_NAME: name });
  return new DynamoStockWriter(
    documentClient,
    {
      inventory: env.INVENTORY_TABLE_NAME,
      audit: audit ? parseEnv({ INVENTORY_AUDIT_TABLE_NAME: name }).INVENTORY_AUDIT_TABLE_NAME : '',
    },
    backoff,
  );
};

/** ApplyImportChunk: the chunks, the lines and their audit. */
export const applyDeps = (): ApplyDeps => ({ objects: objects(), stock: stockWriter(true), now, backoff });

/** WarmImportCache: the chunks and the lines (read), the cache. */
export const warmDeps = (cache: Cache = passThroughCache): WarmDeps => ({
  objects: objects(),
  stock: stockWriter(false),
  cache,
});
