/**
 * Stream consumer of the Catalog table (trigger `stream`): batches of product changes → one bulk request.
 * Answers `batchItemFailures` by sequence number; throws when the engine refused the request as a whole, so
 * the event source retries the batch (bisected) and, after its retries, sends it to SearchIndexingFailures.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '#shared/powertools';
import { catalogReader, searchEngineFromEnv } from '../wiring-engine';
import { indexChanges } from '../use-cases/index-changes';

const engine = searchEngineFromEnv();
const catalog = catalogReader();

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  if (!engine) throw new Error('SEARCH_ENGINE and SEARCH_ENDPOINT are required by the indexer');
  try {
    const result = await indexChanges({ engine, categories: () => catalog.categories() }, event.Records);
    metrics.addMetric('DocumentsIndexed', MetricUnit.Count, result.indexed);
    metrics.addMetric('DocumentsDeleted', MetricUnit.Count, result.deleted);
    if (result.batchItemFailures.length > 0) {
      metrics.addMetric('IndexingFailures', MetricUnit.Count, result.batchItemFailures.length);
      logger.warn('Some changes were not indexed', { failed: result.batchItemFailures.length });
    }
    return { batchItemFailures: result.batchItemFailures };
  } finally {
    metrics.publishStoredMetrics();
  }
};
