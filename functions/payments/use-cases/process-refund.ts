/**
 * The refund worker's work on one refund request: SUCCEEDED → REFUND_PENDING (a paid order the customer
 * cancelled; a late payment is already REFUND_PENDING) → the provider's refund (idempotent per payment,
 * through the same shared breaker, status asked first after a timeout or an earlier attempt) →
 * REFUNDED, and the customer is told. An exchange's part refund (reason EXCHANGE_UNAVAILABLE) is its own
 * record (`PartialRefund`) beside a payment that stays SUCCEEDED. Retries and deferrals as for payments
 * (process-payment.ts).
 */
import type { RefundRequest } from '#shared/published/refund-request';
import {
  BreakerOpenError,
  deferralSeconds,
  isProviderFailure,
  ProviderTimeoutError,
  refundKeyOf,
  retryDelaySeconds,
} from '../domain';
import type { WorkerDeps } from '../ports';
import type { WorkOutcome } from './process-payment';
import { partialRefundNotification, paymentNotification } from './settlement';

export async function processRefund(
  deps: WorkerDeps,
  request: RefundRequest,
  receiveCount: number,
): Promise<WorkOutcome> {
  if (request.exchangeId !== undefined && request.amountPaise !== undefined)
    return processPartialRefund(
      deps,
      { ...request, exchangeId: request.exchangeId, amountPaise: request.amountPaise },
      receiveCount,
    );
  let payment = await deps.payments.get(request.paymentId);
  if (!payment || payment.orderId !== request.orderId) {
    deps.logger.warn('Refund request for an unknown payment', { paymentId: request.paymentId });
    return { kind: 'done' };
  }
  if (payment.status === 'SUCCEEDED') {
    await deps.payments.markRefundPending(
      payment.paymentId,
      request.reason as WholeReason,
      deps.now().toISOString(),
    );
    payment = await deps.payments.get(request.paymentId);
  }
  if (payment?.status !== 'REFUND_PENDING') {
    // REFUNDED already (a duplicate request), or never charged: nothing is owed.
    deps.logger.info('Nothing to refund', { paymentId: request.paymentId, status: payment?.status });
    return { kind: 'done' };
  }
  const { paymentId } = payment;
  const owed = payment;
  return withRetries(deps, receiveCount, {
    call: {
      paymentId,
      refundKey: refundKeyOf(paymentId),
      // What part refunds (an exchange's lines) have not given back already.
      amountPaise: payment.amountPaise - (payment.refundedPaise ?? 0),
      chargeReference: payment.providerReference,
    },
    attemptsBefore: payment.refund?.attempts ?? 0,
    startAttempt: () => deps.payments.startRefundAttempt(paymentId, deps.now().toISOString()),
    recordFailure: (reason) => deps.payments.recordRefundFailure(paymentId, reason, deps.now().toISOString()),
    settle: async (reference) => {
      const at = deps.now().toISOString();
      if (await deps.payments.markRefunded(paymentId, reference, at))
        await deps.queues.notify([paymentNotification(owed, 'payment.refunded', at)]);
    },
  });
}

type WholeReason = 'ORDER_CANCELLED' | 'LATE_PAYMENT';

/**
 * An exchange's lines refunded (its replacement could not be reserved): a part of the payment, once per
 * exchange, never more in all than was charged; the exchange shows it refunded in the same write.
 */
async function processPartialRefund(
  deps: WorkerDeps,
  request: RefundRequest & { readonly exchangeId: string; readonly amountPaise: number },
  receiveCount: number,
): Promise<WorkOutcome> {
  if (!deps.partialRefunds) throw new Error('This function settles no part refunds (no Exchanges table)');
  const refunds = deps.partialRefunds;
  const payment = await deps.payments.get(request.paymentId);
  if (!payment || payment.orderId !== request.orderId) {
    deps.logger.warn('Refund request for an unknown payment', { paymentId: request.paymentId });
    return { kind: 'done' };
  }
  const refund = await refunds.open(payment, request, deps.now().toISOString());
  if (refund === 'refused') {
    // Not SUCCEEDED (refunded whole, or never charged) or more than is left: nothing more can go back.
    deps.logger.warn('Part refund refused', {
      paymentId: payment.paymentId,
      exchangeId: request.exchangeId,
      status: payment.status,
    });
    return { kind: 'done' };
  }
  if (refund.status === 'REFUNDED') return { kind: 'done' };
  return withRetries(deps, receiveCount, {
    call: {
      paymentId: payment.paymentId,
      refundKey: refundKeyOf(payment.paymentId, refund.exchangeId),
      amountPaise: refund.amountPaise,
      chargeReference: payment.providerReference,
    },
    attemptsBefore: refund.attempts,
    startAttempt: () => refunds.startAttempt(refund, deps.now().toISOString()),
    recordFailure: (reason) => refunds.recordFailure(refund, reason, deps.now().toISOString()),
    settle: async (reference) => {
      const at = deps.now().toISOString();
      if (await refunds.markRefunded(refund, reference, at))
        await deps.queues.notify([partialRefundNotification(refund, at)]);
    },
  });
}

/**
 * One refund through the shared breaker: after an earlier attempt the provider is asked first (the
 * refund may have been made), a timeout is answered by asking too; provider failures are retried with
 * backoff, an open breaker defers the message.
 */
async function withRetries(
  deps: WorkerDeps,
  receiveCount: number,
  refund: {
    readonly call: Parameters<WorkerDeps['provider']['refund']>[0];
    readonly attemptsBefore: number;
    readonly startAttempt: () => Promise<void>;
    readonly recordFailure: (reason: string) => Promise<void>;
    readonly settle: (reference: string) => Promise<void>;
  },
): Promise<WorkOutcome> {
  const { paymentId, refundKey } = refund.call;
  const askProvider = () => deps.breaker.execute(() => deps.provider.refundStatus(paymentId, refundKey));
  try {
    let refunded: { reference: string } | undefined;
    if (refund.attemptsBefore > 0) refunded = await askProvider();
    if (!refunded) {
      try {
        refunded = await deps.breaker.execute(async () => {
          await refund.startAttempt();
          return deps.provider.refund(refund.call);
        });
      } catch (error) {
        if (!(error instanceof ProviderTimeoutError)) throw error;
        refunded = await askProvider();
        if (!refunded) throw error;
      }
    }
    await refund.settle(refunded.reference);
    return { kind: 'done' };
  } catch (error) {
    if (error instanceof BreakerOpenError)
      return { kind: 'defer', delaySeconds: deferralSeconds(error.retryAfterMs) };
    if (!isProviderFailure(error)) throw error;
    const reason =
      (error as Error).name === 'ProviderTimeoutError' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE';
    await refund.recordFailure(reason);
    return { kind: 'retry', delaySeconds: retryDelaySeconds(receiveCount, deps.retryBaseSeconds), reason };
  }
}
