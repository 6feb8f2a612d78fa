/**
 * Builds the local search index from the Catalog table with the search service's own reindex use case
 * (functions/search/use-cases/reindex.ts), against any engine the port has: the local platform calls it at
 * every start (the local engine keeps nothing between runs), and `npm run search:reindex` (local/reindex.ts)
 * for the local platform or a deployed stage.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCatalogReader } from '../functions/search/adapters/dynamodb-catalog';
import type { SearchEngine } from '../functions/search/ports';
import { reindex, type ReindexResult } from '../functions/search/use-cases/reindex';

export async function rebuildSearchIndex(opts: {
  readonly dynamodb: DynamoDBClient;
  readonly catalogTable: string;
  readonly engine: SearchEngine;
  readonly onProgress?: (indexed: number) => void;
}): Promise<ReindexResult> {
  const documents = DynamoDBDocumentClient.from(opts.dynamodb);
  const catalog = new DynamoCatalogReader(documents, opts.catalogTable);
  return reindex(
    {
      engine: opts.engine,
      categories: () => catalog.categories(),
      allProducts: () => catalog.allProducts(),
    },
    { onProgress: opts.onProgress },
  );
}
