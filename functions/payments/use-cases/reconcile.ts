/**
 * The scheduled reconciliation: payments left open for a while are settled from the provider's records.
 * PROCESSING → the provider's charge status (a webhook or an answer that never arrived); PENDING whose
 * message may have been lost after the write → queued again (the worker is idempotent); REFUND_PENDING →
 * the provider's refund status, or the request again if no refund was ever attempted. Payments in the
 * DLQ stay PROCESSING unless the provider has a record of their charge.
 */
import { BreakerOpenError, isProviderFailure, refundKeyOf } from '../domain';
import type { WorkerDeps } from '../ports';
import { paymentNotification, settlePayment } from './settlement';

/** Open payments younger than this are the worker's. */
export const RECONCILE_AFTER_MS = 60_000;

export interface ReconcileResult {
  readonly examined: number;
  readonly settled: number;
  readonly requeued: number;
  readonly refunded: number;
}

export async function reconcilePayments(
  deps: WorkerDeps & { readonly deadline: () => number },
  limit = 100,
): Promise<ReconcileResult> {
  const nowMs = deps.now().getTime();
  const stale = await deps.payments.stale(nowMs - RECONCILE_AFTER_MS, limit);
  let settled = 0;
  let requeued = 0;
  let refunded = 0;
  for (const payment of stale) {
    if (Date.now() > deps.deadline()) break;
    try {
      if (payment.status === 'PENDING') {
        await deps.queues.requestPayment(payment.paymentId);
        requeued++;
      } else if (payment.status === 'PROCESSING') {
        const outcome = await deps.breaker.execute(() => deps.provider.chargeStatus(payment.paymentId));
        if (outcome && (await settlePayment(deps, payment, outcome)) !== 'already-settled') settled++;
      } else if (payment.status === 'REFUND_PENDING') {
        const done = await deps.breaker.execute(() =>
          deps.provider.refundStatus(payment.paymentId, refundKeyOf(payment.paymentId)),
        );
        const at = deps.now().toISOString();
        if (done) {
          if (await deps.payments.markRefunded(payment.paymentId, done.reference, at)) {
            await deps.queues.notify([paymentNotification(payment, 'payment.refunded', at)]);
            refunded++;
          }
        } else if ((payment.refund?.attempts ?? 0) === 0 && payment.refund) {
          await deps.queues.requestRefunds([
            {
              paymentId: payment.paymentId,
              orderId: payment.orderId,
              reason: payment.refund.reason,
              requestedAt: at,
            },
          ]);
          requeued++;
        }
      }
    } catch (error) {
      // The breaker is open or the provider failed: the next run tries again; nothing else is skipped.
      if (error instanceof BreakerOpenError) break;
      if (!isProviderFailure(error)) throw error;
      deps.logger.warn('Reconciliation could not ask the provider', { paymentId: payment.paymentId });
    }
  }
  return { examined: stale.length, settled, requeued, refunded };
}
