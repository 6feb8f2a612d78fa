/**
 * The exchanges' outbox relay (EventBridge Scheduler, every minute): sends the notifications and refund
 * requests that exchanges' changes wrote but could not send at once (use-cases/outbox.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from '#shared/powertools';
import { scheduledEventSchema } from '#shared/schedule';
import { relayExchangeOutbox } from '../use-cases/outbox';
import { relayDeps } from '../wiring';

const deps = relayDeps();

export const handler = middy(async (event: unknown): Promise<{ relayed: number }> => {
  const scheduled = scheduledEventSchema.parse(event);
  const relayed = await relayExchangeOutbox(deps);
  logger.info('Exchange messages relayed', { scheduledTime: scheduled.scheduledTime, relayed });
  metrics.addMetric('ExchangeMessagesRelayed', 'Count', relayed);
  return { relayed };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
