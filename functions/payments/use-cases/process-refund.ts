/**
 * The refund worker's work on one refund request: SUCCEEDED → REFUND_PENDING (a paid order the customer
 * cancelled; a late payment is already REFUND_PENDING) → the provider's refund (idempotent per payment,
 * through the same shared breaker, status asked first after a timeout or an earlier attempt) →
 * REFUNDED, and the customer is told. Retries and deferrals as for payments (process-payment.ts).
 */
import type { RefundRequest } from '#shared/published/refund-request';
import {
  BreakerOpenError,
  deferralSeconds,
  isProviderFailure,
  ProviderTimeoutError,
  retryDelaySeconds,
} from '../domain';
import type { WorkerDeps } from '../ports';
import type { WorkOutcome } from './process-payment';
import { paymentNotification } from './settlement';

export async function processRefund(
  deps: WorkerDeps,
  request: RefundRequest,
  receiveCount: number,
): Promise<WorkOutcome> {
  let payment = await deps.payments.get(request.paymentId);
  if (!payment || payment.orderId !== request.orderId) {
    deps.logger.warn('Refund request for an unknown payment', { paymentId: request.paymentId });
    return { kind: 'done' };
  }
  if (payment.status === 'SUCCEEDED') {
    await deps.payments.markRefundPending(payment.paymentId, request.reason, deps.now().toISOString());
    payment = await deps.payments.get(request.paymentId);
  }
  if (payment?.status !== 'REFUND_PENDING') {
    // REFUNDED already (a duplicate request), or never charged: nothing is owed.
    deps.logger.info('Nothing to refund', { paymentId: request.paymentId, status: payment?.status });
    return { kind: 'done' };
  }
  const { paymentId } = payment;
  try {
    let refunded: { reference: string } | undefined;
    if ((payment.refund?.attempts ?? 0) > 0)
      refunded = await deps.breaker.execute(() => deps.provider.refundStatus(paymentId));
    if (!refunded) {
      const call = {
        paymentId,
        amountPaise: payment.amountPaise,
        chargeReference: payment.providerReference,
      };
      try {
        refunded = await deps.breaker.execute(async () => {
          await deps.payments.startRefundAttempt(paymentId, deps.now().toISOString());
          return deps.provider.refund(call);
        });
      } catch (error) {
        if (!(error instanceof ProviderTimeoutError)) throw error;
        refunded = await deps.breaker.execute(() => deps.provider.refundStatus(paymentId));
        if (!refunded) throw error;
      }
    }
    const at = deps.now().toISOString();
    if (await deps.payments.markRefunded(paymentId, refunded.reference, at))
      await deps.queues.notify([paymentNotification(payment, 'payment.refunded', at)]);
    return { kind: 'done' };
  } catch (error) {
    if (error instanceof BreakerOpenError)
      return { kind: 'defer', delaySeconds: deferralSeconds(error.retryAfterMs) };
    if (!isProviderFailure(error)) throw error;
    const reason =
      (error as Error).name === 'ProviderTimeoutError' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE';
    await deps.payments.recordRefundFailure(paymentId, reason, deps.now().toISOString());
    return { kind: 'retry', delaySeconds: retryDelaySeconds(receiveCount, deps.retryBaseSeconds), reason };
  }
}
