/**
 * The scheduled reconciliation: payments left open for a while are settled from the provider's records.
 * PROCESSING → the provider's charge status (a webhook or an answer that never arrived); PENDING whose
 * message may have been lost after the write → queued again (the worker is idempotent); REFUND_PENDING →
 * the provider's refund status, or the request again if no refund was ever attempted. Payments in the
 * DLQ stay PROCESSING unless the provider has a record of their charge. An exchange's part refund left
 * PENDING is settled the same way from the provider's refund under its key.
 */
import { BreakerOpenError, isProviderFailure, refundKeyOf, type PartialRefund } from '../domain';
import type { WorkerDeps } from '../ports';
import { partialRefundNotification, paymentNotification, settlePayment } from './settlement';

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
  const staleParts = (await deps.partialRefunds?.stale(nowMs - RECONCILE_AFTER_MS, limit)) ?? [];
  const result = { examined: stale.length + staleParts.length, settled: 0, requeued: 0, refunded: 0 };
  /** One item's work; false once the breaker is open (the next run tries again, nothing is skipped). */
  const attempt = async (id: Record<string, string>, work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (error) {
      if (error instanceof BreakerOpenError) return false;
      if (!isProviderFailure(error)) throw error;
      deps.logger.warn('Reconciliation could not ask the provider', id);
      return true;
    }
  };
  for (const payment of stale) {
    if (Date.now() > deps.deadline()) return result;
    const go = await attempt({ paymentId: payment.paymentId }, async () => {
      if (payment.status === 'PENDING') {
        await deps.queues.requestPayment(payment.paymentId);
        result.requeued++;
      } else if (payment.status === 'PROCESSING') {
        const outcome = await deps.breaker.execute(() => deps.provider.chargeStatus(payment.paymentId));
        if (outcome && (await settlePayment(deps, payment, outcome)) !== 'already-settled') result.settled++;
      } else if (payment.status === 'REFUND_PENDING') {
        const done = await deps.breaker.execute(() =>
          deps.provider.refundStatus(payment.paymentId, refundKeyOf(payment.paymentId)),
        );
        const at = deps.now().toISOString();
        if (done) {
          if (await deps.payments.markRefunded(payment.paymentId, done.reference, at)) {
            await deps.queues.notify([paymentNotification(payment, 'payment.refunded', at)]);
            result.refunded++;
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
          result.requeued++;
        }
      }
    });
    if (!go) return result;
  }
  for (const refund of staleParts) {
    if (Date.now() > deps.deadline()) return result;
    const go = await attempt({ paymentId: refund.paymentId, exchangeId: refund.exchangeId }, () =>
      reconcilePartialRefund(deps, refund, result),
    );
    if (!go) return result;
  }
  return result;
}

/** A part refund left PENDING: settled from the provider's refund under its key, or asked for again. */
async function reconcilePartialRefund(
  deps: WorkerDeps,
  refund: PartialRefund,
  result: { refunded: number; requeued: number },
): Promise<void> {
  const done = await deps.breaker.execute(() =>
    deps.provider.refundStatus(refund.paymentId, refundKeyOf(refund.paymentId, refund.exchangeId)),
  );
  const at = deps.now().toISOString();
  if (done) {
    if (await deps.partialRefunds!.markRefunded(refund, done.reference, at)) {
      await deps.queues.notify([partialRefundNotification(refund, at)]);
      result.refunded++;
    }
  } else if (refund.attempts === 0) {
    // Opened but never attempted (the worker stopped between the two): ask again.
    await deps.queues.requestRefunds([
      {
        paymentId: refund.paymentId,
        orderId: refund.orderId,
        reason: 'EXCHANGE_UNAVAILABLE',
        exchangeId: refund.exchangeId,
        amountPaise: refund.amountPaise,
        requestedAt: at,
      },
    ]);
    result.requeued++;
  }
}
