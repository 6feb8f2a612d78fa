/**
 * The reservation sweeper (EventBridge Scheduler, every minute): cancels orders left unpaid past their
 * reservation and releases their stock, then relays order events left in outboxes.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { cacheFromEnv } from '#shared/cache/index';
import { logger, metrics } from '#shared/powertools';
import { scheduledEventSchema } from '#shared/schedule';
import { sqsOrderEventPublisher } from '../adapters/publisher';
import { sweepExpiredReservations, type SweepResult } from '../use-cases/sweeper';
import { sweeperDeps } from '../wiring';

// The cache: an expiry releases stock, whose cached availability it drops.
const deps = sweeperDeps(sqsOrderEventPublisher(), process.env, cacheFromEnv());
/** Stop taking new pages with this much of the timeout left. */
const RESERVE_MS = 10_000;

export const handler = middy(async (event: unknown, context: Context): Promise<SweepResult> => {
  const scheduled = scheduledEventSchema.parse(event);
  const stopAt = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - RESERVE_MS);
  const result = await sweepExpiredReservations({ ...deps, deadline: () => stopAt });
  logger.info('Reservations swept', { scheduledTime: scheduled.scheduledTime, ...result });
  metrics.addMetric('ReservationsExpired', 'Count', result.cancelled);
  metrics.addMetric('OrderEventsRelayed', 'Count', result.relayed);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
