/** InventoryImport Task: the final status and counts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from '#shared/powertools';
import { completeTaskSchema } from '../machine';
import { completeImport } from '../use-cases/apply';
import { importDeps } from '../wiring';

const deps = importDeps();

export const handler = middy(async (event: unknown) => {
  const result = await completeImport(deps, completeTaskSchema.parse(event));
  logger.info('Import finished', result);
  metrics.addMetric('ImportRowsApplied', 'Count', result.counts.applied);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
