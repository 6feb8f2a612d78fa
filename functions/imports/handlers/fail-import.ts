/** InventoryImport Task: every caught failure ends here, as status FAILED with a reason. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from '#shared/powertools';
import { failTaskSchema } from '../machine';
import { failImport } from '../use-cases/apply';
import { importDeps } from '../wiring';

const deps = importDeps();

export const handler = middy(async (event: unknown) => {
  const input = failTaskSchema.parse(event);
  const result = await failImport(deps, input);
  logger.error('Import failed', {
    importId: input.importId,
    error: input.error.Error,
    cause: input.error.Cause,
  });
  metrics.addMetric('ImportFailed', 'Count', 1);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
