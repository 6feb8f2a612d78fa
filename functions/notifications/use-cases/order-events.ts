/**
 * Order events (published layout `order-event.ts`) → notification requests for the customer. One request
 * per notable transition, keyed by the event's stable id, so a redelivered event is one notification;
 * `occurredAt` is the transition's time, so the inbox lists them in the order they happened even when the
 * queue delivers them out of order.
 */
import type { NotificationRequest } from '#shared/published/notification-request';
import type { OrderEvent, OrderEventStatus } from '#shared/published/order-event';

const EVENT_TYPES: Partial<Record<OrderEventStatus, string>> = {
  CONFIRMED: 'order.confirmed',
  PACKED: 'order.packed',
  OUT_FOR_DELIVERY: 'order.out_for_delivery',
  DELIVERED: 'order.delivered',
  CANCELLED: 'order.cancelled',
};

/** The request an order event makes, or undefined for events nobody is told about (an order placed, unpaid). */
export function requestForOrderEvent(event: OrderEvent): NotificationRequest | undefined {
  const eventType = event.type === 'order.status_changed' ? EVENT_TYPES[event.status] : undefined;
  if (!eventType) return undefined;
  return {
    eventType,
    userId: event.customerId,
    data: {
      orderId: event.orderId,
      storeId: event.storeId,
      totalPaise: event.totalPaise,
      ...(event.reason !== undefined ? { reason: event.reason } : {}),
      ...(event.refund ? { refund: event.refund } : {}),
    },
    idempotencyKey: `order-event:${event.eventId}`,
    priority: 'transactional',
    occurredAt: event.at,
  };
}

export async function relayOrderEvent(
  deps: { readonly request: (requests: readonly NotificationRequest[]) => Promise<void> },
  event: OrderEvent,
): Promise<boolean> {
  const request = requestForOrderEvent(event);
  if (!request) return false;
  await deps.request([request]);
  return true;
}
