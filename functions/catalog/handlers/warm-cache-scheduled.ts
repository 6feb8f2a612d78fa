/**
 * The scheduled warm-up (EventBridge Scheduler, windows from the stage config). Same use case as the
 * admin route; the number of products comes from the schedule's input (the stage config).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { logger, metrics } from '#shared/powertools';
import { scheduledEventSchema } from '#shared/schedule';
import { WARM_UP_MAX_PRODUCTS } from '../admin-contracts';
import { warmCatalogCache, type WarmUpResult } from '../use-cases/warm-up';
import { warmUpDeps } from '../wiring';

const deps = warmUpDeps();
const inputSchema = z.strictObject({
  topProducts: z.optional(z.number().check(z.int(), z.gte(0), z.lte(WARM_UP_MAX_PRODUCTS))),
});

export const handler = middy(async (event: unknown): Promise<WarmUpResult> => {
  // A malformed event is a deployment bug: fail loudly (Lambda Errors alarm) rather than warm nothing.
  const scheduled = scheduledEventSchema.parse(event);
  const input = inputSchema.parse(scheduled.input);
  const result = await warmCatalogCache(deps, input);
  logger.info('Cache warmed', { scheduledTime: scheduled.scheduledTime, ...result });
  metrics.addMetric('CacheWarmedProducts', 'Count', result.warmed.products);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
