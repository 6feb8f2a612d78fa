/**
 * The search engine and the Catalog reader from the environment, apart from wiring.ts so the indexer's bundle
 * carries neither the cache client nor the stock readers. The adapter follows SEARCH_ENGINE: `opensearch`
 * (SigV4-signed requests to SEARCH_ENDPOINT, the client loaded on first use) or `local` (the local engine
 * over HTTP); without the variables there is no engine.
 */
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { DynamoCatalogReader } from './adapters/dynamodb-catalog';
import { LocalSearchEngine } from './adapters/local-engine';
import { OpenSearchEngine, openSearchClient } from './adapters/opensearch';
import type { SearchEngine } from './ports';

const nonEmpty = z.string().check(z.minLength(1));

export function searchEngineFromEnv(source: NodeJS.ProcessEnv = process.env): SearchEngine | undefined {
  const env = parseEnv(
    {
      SEARCH_ENGINE: z.optional(z.enum(['opensearch', 'local'])),
      SEARCH_ENDPOINT: z.optional(z.url()),
      AWS_REGION: z._default(nonEmpty, 'ap-south-1'),
    },
    source,
  );
  if (!env.SEARCH_ENGINE || !env.SEARCH_ENDPOINT) return undefined;
  return env.SEARCH_ENGINE === 'local'
    ? new LocalSearchEngine(env.SEARCH_ENDPOINT)
    : new OpenSearchEngine(openSearchClient(env.SEARCH_ENDPOINT, env.AWS_REGION));
}

/** `categoriesTtlMs`: how long the category names are kept (the indexer reads them for every batch: 0). */
export function catalogReader(categoriesTtlMs?: number): DynamoCatalogReader {
  const env = parseEnv({ CATALOG_TABLE_NAME: nonEmpty });
  return new DynamoCatalogReader(documentClient, env.CATALOG_TABLE_NAME, categoriesTtlMs);
}
