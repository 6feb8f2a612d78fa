/**
 * What an exchange's change owes the world (ADR 20): the customer is told of every change (event
 * `exchange.<status>`, `exchange.packed` for the replacement's packing), and a replacement that could not
 * be reserved is refunded (a part refund of the order's payment). Each change writes these into the
 * exchange's outbox in the same write as the change itself, so none is lost if the function dies after it;
 * they are sent right after, or by the relay. Keys make every message idempotent downstream (the
 * notification per exchange and version, the refund per exchange).
 */
import type { NotificationRequest } from '#shared/published/notification-request';
import type { RefundRequest } from '#shared/published/refund-request';
import type { Exchange } from './domain';

export type OutboxMessage =
  | { readonly kind: 'notification'; readonly request: NotificationRequest }
  | { readonly kind: 'refund'; readonly request: RefundRequest };

export function eventTypeOf(exchange: Exchange): string {
  const last = exchange.history.at(-1);
  return `exchange.${(last?.status === 'PACKED' ? 'PACKED' : exchange.status).toLowerCase()}`;
}

/** The messages of the change that made `exchange` (keyed: the key is the message's outbox entry). */
export function messagesOf(exchange: Exchange): Record<string, OutboxMessage> {
  const messages: Record<string, OutboxMessage> = {
    [`n${exchange.version}`]: {
      kind: 'notification',
      request: {
        eventType: eventTypeOf(exchange),
        userId: exchange.customerId,
        data: {
          exchangeId: exchange.exchangeId,
          orderId: exchange.orderId,
          status: exchange.status,
          ...(exchange.refund ? { refundPaise: exchange.refund.amountPaise } : {}),
        },
        idempotencyKey: `exchange:${exchange.exchangeId}:${exchange.version}`,
        priority: 'transactional',
        occurredAt: exchange.updatedAt,
      },
    },
  };
  if (exchange.status === 'REPLACEMENT_UNAVAILABLE' && exchange.refund?.status === 'PENDING') {
    if (exchange.paymentId === undefined)
      throw new Error(`Exchange ${exchange.exchangeId}: a refund is owed but its order names no payment`);
    messages.refund = {
      kind: 'refund',
      request: {
        paymentId: exchange.paymentId,
        orderId: exchange.orderId,
        reason: 'EXCHANGE_UNAVAILABLE',
        exchangeId: exchange.exchangeId,
        amountPaise: exchange.refund.amountPaise,
        requestedAt: exchange.updatedAt,
      },
    };
  }
  return messages;
}
