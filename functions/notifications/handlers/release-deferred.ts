/**
 * Every minute (EventBridge Scheduler): releases deliveries deferred past quiet hours that are due now
 * (use-cases/release.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from '#shared/powertools';
import { scheduledEventSchema } from '#shared/schedule';
import { releaseDue } from '../use-cases/release';
import { releaseDeps } from '../wiring';

const deps = releaseDeps();

export const handler = middy(async (event: unknown): Promise<{ released: number }> => {
  scheduledEventSchema.parse(event);
  const released = await releaseDue(deps);
  metrics.addMetric('DeferredReleased', 'Count', released);
  return { released };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
