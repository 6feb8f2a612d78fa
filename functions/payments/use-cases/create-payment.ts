/**
 * A customer pays for their order: the payment is recorded (PENDING) and attached to the order in one
 * transaction — only while the order is PENDING_PAYMENT, unexpired, theirs and without a payment — then
 * its message is queued for the worker. One order, at most one payment: a second request (another
 * Idempotency-Key) is a 409 and charges nothing. A message lost after the write is re-queued by the
 * reconciliation (the payment stays PENDING until then).
 */
import type { Caller } from '#shared/http/identity';
import type { PayableOrder } from '#shared/published/order-payment';
import { NOT_PAYABLE, paymentErrors, type Payment, type PaymentMethod, type PaymentStatus } from '../domain';
import type { PaymentDeps } from '../ports';

export interface PaymentRequestBody {
  readonly method: PaymentMethod;
  readonly paymentToken: string;
}

function refusal(order: PayableOrder | undefined, caller: Caller, orderId: string, nowMs: number) {
  if (!order || order.customerId !== caller.userId) return paymentErrors.orderNotFound(orderId);
  if (order.payment)
    return paymentErrors.notPayable(
      NOT_PAYABLE.hasPayment,
      `Order ${orderId} already has payment ${order.payment.paymentId} (${order.payment.status}).`,
    );
  if (order.status !== 'PENDING_PAYMENT')
    return paymentErrors.notPayable(
      NOT_PAYABLE.status,
      `Order ${orderId} is ${order.status}; it cannot be paid.`,
    );
  if (Date.parse(order.reservationExpiresAt) <= nowMs)
    return paymentErrors.notPayable(
      NOT_PAYABLE.expired,
      `The reservation of order ${orderId} expired at ${order.reservationExpiresAt}; place the order again.`,
    );
  return undefined;
}

export async function createPayment(
  deps: PaymentDeps,
  caller: Caller,
  orderId: string,
  body: PaymentRequestBody,
): Promise<{ paymentId: string; status: PaymentStatus }> {
  const now = deps.now();
  const order = await deps.payments.order(orderId);
  const refused = refusal(order, caller, orderId, now.getTime());
  if (refused) throw refused;
  const at = now.toISOString();
  const payment: Payment = {
    paymentId: deps.newId(),
    orderId,
    customerId: caller.userId,
    amountPaise: order!.totalPaise,
    currency: 'INR',
    method: body.method,
    paymentToken: body.paymentToken,
    status: 'PENDING',
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.payments.create(payment, now.getTime()))) {
    // The order changed between the read and the write (another payment, a cancellation, expiry).
    const again = await deps.payments.order(orderId);
    throw refusal(again, caller, orderId, deps.now().getTime()) ?? paymentErrors.inFlight();
  }
  await deps.queues.requestPayment(payment.paymentId);
  deps.logger.info('Payment requested', { paymentId: payment.paymentId, orderId });
  return { paymentId: payment.paymentId, status: 'PENDING' };
}
