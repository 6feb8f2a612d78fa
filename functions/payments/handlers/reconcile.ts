/** Every few minutes: settles payments stuck open from the provider's records (use-cases/reconcile.ts). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '#shared/powertools';
import { scheduledEventSchema } from '#shared/schedule';
import { reconcilePayments, type ReconcileResult } from '../use-cases/reconcile';
import { workerDeps } from '../provider-wiring';

const deps = workerDeps();
const RESERVE_MS = 10_000;

export const handler = middy(async (event: unknown, context: Context): Promise<ReconcileResult> => {
  const scheduled = scheduledEventSchema.parse(event);
  const remaining = context.getRemainingTimeInMillis();
  const stopAt = Date.now() + Math.max(0, remaining - Math.min(RESERVE_MS, remaining / 2));
  const result = await reconcilePayments({ ...deps, deadline: () => stopAt });
  logger.info('Payments reconciled', { scheduledTime: scheduled.scheduledTime, ...result });
  metrics.addMetric('PaymentsReconciled', 'Count', result.settled + result.refunded);
  metrics.addMetric('PaymentsRequeued', 'Count', result.requeued);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
