/**
 * The payment worker's work on one message. The provider is called through the shared breaker with the
 * payment id as its idempotency key. A timeout is not a failure: the provider is asked for the charge's
 * status first (also on every attempt after the first, since an earlier delivery may have charged), and
 * only a charge it has no record of is attempted again. Outcomes:
 *
 * - `done`: settled (or nothing left to do);
 * - `retry`: a transient failure; the message comes back after `delaySeconds` (exponential backoff with
 *   full jitter, through the visibility timeout) and, after the queue's maxReceiveCount, lands in the DLQ
 *   while the payment stays PROCESSING with its `failureReason`;
 * - `defer`: the breaker is open; the message is put back with a delay, costing no attempt.
 */
import {
  BreakerOpenError,
  deferralSeconds,
  isProviderFailure,
  OPEN_STATUSES,
  ProviderTimeoutError,
  retryDelaySeconds,
  type ChargeOutcome,
} from '../domain';
import type { WorkerDeps } from '../ports';
import { requestLateRefund, settlePayment } from './settlement';

export type WorkOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly delaySeconds: number; readonly reason: string }
  | { readonly kind: 'defer'; readonly delaySeconds: number };

export async function processPayment(
  deps: WorkerDeps,
  paymentId: string,
  receiveCount: number,
): Promise<WorkOutcome> {
  const payment = await deps.payments.get(paymentId);
  if (!payment) {
    deps.logger.warn('Payment message for an unknown payment', { paymentId });
    return { kind: 'done' };
  }
  if (
    payment.status === 'REFUND_PENDING' &&
    payment.refund?.reason === 'LATE_PAYMENT' &&
    payment.refund.attempts === 0
  ) {
    // Settled as owed back, but the refund request may not have gone out before a failure: again (idempotent).
    await requestLateRefund(deps, payment, deps.now().toISOString());
    return { kind: 'done' };
  }
  if (!OPEN_STATUSES.includes(payment.status) || payment.status === 'REFUND_PENDING') return { kind: 'done' };
  try {
    let outcome: ChargeOutcome | undefined;
    if (payment.attempts > 0)
      outcome = await deps.breaker.execute(() => deps.provider.chargeStatus(paymentId));
    if (!outcome) {
      try {
        // The attempt is counted inside the breaker: an open breaker refuses before anything is counted.
        outcome = await deps.breaker.execute(async () => {
          await deps.payments.startAttempt(paymentId, deps.now().toISOString());
          return deps.provider.charge({
            paymentId,
            amountPaise: payment.amountPaise,
            currency: payment.currency,
            method: payment.method,
            token: payment.paymentToken,
          });
        });
      } catch (error) {
        if (!(error instanceof ProviderTimeoutError)) throw error;
        // Did the charge happen? Ask before anything is tried again.
        outcome = await deps.breaker.execute(() => deps.provider.chargeStatus(paymentId));
        if (!outcome) throw error;
      }
    }
    await settlePayment(deps, payment, outcome);
    return { kind: 'done' };
  } catch (error) {
    if (error instanceof BreakerOpenError)
      return { kind: 'defer', delaySeconds: deferralSeconds(error.retryAfterMs) };
    if (!isProviderFailure(error)) throw error;
    const reason =
      (error as Error).name === 'ProviderTimeoutError' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE';
    await deps.payments.recordFailure(paymentId, reason, deps.now().toISOString());
    return { kind: 'retry', delaySeconds: retryDelaySeconds(receiveCount, deps.retryBaseSeconds), reason };
  }
}
