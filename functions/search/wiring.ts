/**
 * The one place that wires the search service to AWS (or the local engines). The engine adapter follows
 * SEARCH_ENGINE: `opensearch` (SigV4-signed requests to SEARCH_ENDPOINT, the client loaded on first use) or
 * `local` (the local engine over HTTP); without the variables there is no engine and every answer is degraded.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { logger, metrics } from '#shared/powertools';
import { DynamoSavedStoreReader, DynamoStockReader } from '#shared/published/readers';
import type { SearchDeps } from './use-cases/search';
import { catalogReader, searchEngineFromEnv } from './wiring-engine';

const nonEmpty = z.string().check(z.minLength(1));

function countDegraded(source: 'cache' | 'dynamodb', reason: unknown): void {
  metrics.addMetric('SearchDegraded', MetricUnit.Count, 1);
  logger.warn('Search degraded', {
    source,
    reason: reason instanceof Error ? reason.message : String(reason),
  });
}

/** The search route: engine, cache, the Catalog fallback, stock and saved locations. */
export function searchDeps(): SearchDeps {
  const env = parseEnv({ INVENTORY_TABLE_NAME: nonEmpty, CUSTOMER_LOCATIONS_TABLE_NAME: nonEmpty });
  return {
    ...suggestDeps(),
    stock: new DynamoStockReader(documentClient, env.INVENTORY_TABLE_NAME),
    savedStores: new DynamoSavedStoreReader(documentClient, env.CUSTOMER_LOCATIONS_TABLE_NAME),
  };
}

/** The suggest route needs no stock. */
export function suggestDeps(): Pick<SearchDeps, 'engine' | 'cache' | 'catalog' | 'degraded'> {
  return {
    engine: searchEngineFromEnv(),
    cache: cacheFromEnv(),
    catalog: catalogReader(),
    degraded: countDegraded,
  };
}
