/**
 * The search service's functions: the two public routes, which read the engine through the `products`
 * alias (and, degraded, the Catalog table), stock and saved locations for availability and `inStock`, and
 * the cache; and the indexer, which consumes the Catalog table's stream in batches (ADR 16).
 */
import { searchRoute, suggestRoute } from '../../../functions/search/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef } from '../types';

/** Where the indexer's batches go once their retries are exhausted (alarmed). */
export const SEARCH_INDEXING_FAILURES_QUEUE = 'SearchIndexingFailures';

const searchHttpFunctions = defineHttpFunctions('search', [
  {
    name: 'SearchProducts',
    handler: 'search',
    route: searchRoute,
    description: 'Public product search: full text, filters, facets, sorts, availability at a store',
    tables: { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' },
    search: 'read',
    cache: true,
  },
  {
    name: 'SuggestProducts',
    handler: 'suggest',
    route: suggestRoute,
    description: 'Public type-ahead: product names by prefix',
    tables: { Catalog: 'read' },
    search: 'read',
    cache: true,
  },
]);

export const searchFunctions: FunctionDef[] = [
  ...searchHttpFunctions,
  {
    name: 'IndexCatalogChanges',
    service: 'search',
    entry: 'functions/search/handlers/index-catalog-changes.ts',
    description: 'Indexes product changes from the Catalog stream into the search engine (bulk, versioned)',
    trigger: {
      kind: 'stream',
      table: 'Catalog',
      batchSize: 500,
      maxBatchingWindowSeconds: 1,
      bisectOnError: true,
      retryAttempts: 5,
      onFailure: SEARCH_INDEXING_FAILURES_QUEUE,
    },
    tables: { Catalog: 'read' },
    search: 'write',
    metricAlarms: [
      {
        metric: 'CategoryReindexTruncated',
        description:
          'A renamed category had more products than one stream batch re-indexes: run search:reindex (docs/operations.md)',
      },
    ],
    timeoutSeconds: 30,
  },
];
