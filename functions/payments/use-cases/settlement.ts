/**
 * What follows a charge's outcome, wherever it was learnt (the worker, a webhook, the reconciliation):
 * the payment and its order move together (repository `settle`), then the customer is told and, for a
 * charge that came too late (the order was cancelled or its reservation expired), a refund is requested.
 * Idempotent: a second outcome for a settled payment changes nothing and tells nobody again.
 */
import type { NotificationRequest } from '#shared/published/notification-request';
import type { ChargeOutcome, PartialRefund, Payment } from '../domain';
import type { PaymentDeps, SettleOutcome } from '../ports';

const EVENT: Record<Exclude<SettleOutcome, 'already-settled'>, string> = {
  confirmed: 'payment.succeeded',
  failed: 'payment.failed',
  'refund-owed': 'payment.refund_pending',
};

export function paymentNotification(
  payment: Payment,
  eventType: string,
  at: string,
  extra: Record<string, unknown> = {},
): NotificationRequest {
  return {
    eventType,
    userId: payment.customerId,
    data: {
      paymentId: payment.paymentId,
      orderId: payment.orderId,
      amountPaise: payment.amountPaise,
      ...extra,
    },
    idempotencyKey: `${eventType}:${payment.paymentId}`,
    priority: 'transactional',
    occurredAt: at,
  };
}

/** An exchange's lines refunded: told as a refund of that amount, once per exchange. */
export function partialRefundNotification(refund: PartialRefund, at: string): NotificationRequest {
  return {
    eventType: 'payment.refunded',
    userId: refund.customerId,
    data: {
      paymentId: refund.paymentId,
      orderId: refund.orderId,
      exchangeId: refund.exchangeId,
      amountPaise: refund.amountPaise,
    },
    idempotencyKey: `payment.refunded:${refund.paymentId}:${refund.exchangeId}`,
    priority: 'transactional',
    occurredAt: at,
  };
}

export async function settlePayment(
  deps: PaymentDeps,
  payment: Payment,
  outcome: ChargeOutcome,
): Promise<SettleOutcome> {
  const at = deps.now().toISOString();
  const result = await deps.payments.settle(payment.paymentId, outcome, at);
  deps.logger.info('Payment settled', { paymentId: payment.paymentId, result });
  if (result === 'already-settled') return result;
  if (result === 'refund-owed') await requestLateRefund(deps, payment, at);
  await deps.queues.notify([
    paymentNotification(
      payment,
      EVENT[result],
      at,
      outcome.outcome === 'declined' ? { failureReason: outcome.reason } : {},
    ),
  ]);
  return result;
}

/** The charge succeeded after the order stopped waiting for it: the money goes back. */
export function requestLateRefund(deps: PaymentDeps, payment: Payment, at: string): Promise<void> {
  return deps.queues.requestRefunds([
    { paymentId: payment.paymentId, orderId: payment.orderId, reason: 'LATE_PAYMENT', requestedAt: at },
  ]);
}
