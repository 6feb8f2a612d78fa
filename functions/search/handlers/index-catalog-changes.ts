/**
 * Stream consumer of the Catalog table (trigger `stream`): batches of product changes → bulk requests, and
 * a renamed or moved category's products re-indexed with their new category path.
 * Answers `batchItemFailures` by sequence number; throws when the engine refused the request as a whole, so
 * the event source retries the batch (bisected) and, after its retries, sends it to SearchIndexingFailures.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '#shared/powertools';
import { catalogReader, searchEngineFromEnv } from '../wiring-engine';
import { indexChanges } from '../use-cases/index-changes';

const engine = searchEngineFromEnv();
// Category names are read for every batch: a rename must not meet a copy read before it.
const catalog = catalogReader(0);

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  if (!engine) throw new Error('SEARCH_ENGINE and SEARCH_ENDPOINT are required by the indexer');
  try {
    const result = await indexChanges(
      {
        engine,
        categories: () => catalog.categories(),
        activeProductsIn: (category) => catalog.activeProductsIn(category),
      },
      event.Records,
    );
    metrics.addMetric('DocumentsIndexed', MetricUnit.Count, result.indexed);
    metrics.addMetric('DocumentsDeleted', MetricUnit.Count, result.deleted);
    if (result.reindexedForCategories > 0)
      metrics.addMetric('DocumentsReindexedForCategories', MetricUnit.Count, result.reindexedForCategories);
    if (result.truncatedCategories.length > 0) {
      metrics.addMetric('CategoryReindexTruncated', MetricUnit.Count, result.truncatedCategories.length);
      logger.error('A renamed category has more products than one batch re-indexes: run search:reindex', {
        categories: result.truncatedCategories,
      });
    }
    if (result.batchItemFailures.length > 0) {
      metrics.addMetric('IndexingFailures', MetricUnit.Count, result.batchItemFailures.length);
      logger.warn('Some changes were not indexed', { failed: result.batchItemFailures.length });
    }
    return { batchItemFailures: result.batchItemFailures };
  } finally {
    metrics.publishStoredMetrics();
  }
};
