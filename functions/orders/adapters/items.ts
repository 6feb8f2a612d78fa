/**
 * Item layout of the Orders table — the one place that knows it.
 *
 * Table `Orders`: partition key `orderId` (S). One item per order: the order's fields (domain.ts `Order`),
 * plus the index attributes:
 *
 * | attribute                                  | present                           | index           |
 * | ------------------------------------------ | --------------------------------- | --------------- |
 * | `customerId`, `createdAt`                  | always                            | `byCustomer`    |
 * | `storeId`, `createdAt`                     | always                            | `byStore`       |
 * | `storeStatus` = `<storeId>#<status>`       | always (changes with the status)  | `byStoreStatus` |
 * | `expiryShard` = `PENDING`, `reservationExpiresAtMs` | only while `PENDING_PAYMENT` | `byExpiry` (sparse) |
 * | `outboxShard` = `OUTBOX`, `outboxAtMs`     | only while events are unpublished | `byOutbox` (sparse) |
 *
 * `outbox` is a map eventId → event of the transitions whose events are not yet marked published (the
 * transactional outbox: written in the transition's own transaction). It is created with the order and
 * never removed (entries are), so transitions can always `SET outbox.<eventId>`.
 */
import { EXPIRY_SHARD, OUTBOX_SHARD, orderKey, storeStatusKey } from '#shared/published/order-payment';
import type { Order, OrderEvent } from '../domain';

// The payments service moves orders too (confirm, cancel on a declined payment), through the published
// layout functions/shared/published/order-payment.ts; both use the same index keys.
export { EXPIRY_SHARD, OUTBOX_SHARD, orderKey, storeStatusKey };

export const INDEX = {
  byCustomer: 'byCustomer',
  byStore: 'byStore',
  byStoreStatus: 'byStoreStatus',
  byExpiry: 'byExpiry',
  byOutbox: 'byOutbox',
} as const;

export function orderItem(order: Order, event: OrderEvent, nowMs: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...JSON.parse(JSON.stringify(order)),
    entity: 'Order',
    storeStatus: storeStatusKey(order.storeId, order.status),
    outbox: { [event.eventId]: event },
    outboxShard: OUTBOX_SHARD,
    outboxAtMs: nowMs,
  };
  if (order.status === 'PENDING_PAYMENT') {
    item.expiryShard = EXPIRY_SHARD;
    item.reservationExpiresAtMs = Date.parse(order.reservationExpiresAt);
  }
  return item;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function orderFromItem(item: Record<string, unknown>): Order {
  const location = (item.deliveryLocation ?? {}) as Record<string, unknown>;
  return {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    storeId: String(item.storeId),
    status: String(item.status) as Order['status'],
    lines: ((item.lines ?? []) as Record<string, unknown>[]).map((l) => ({
      productId: String(l.productId),
      name: String(l.name),
      unit: String(l.unit),
      quantity: num(l.quantity),
      unitPricePaise: num(l.unitPricePaise),
      linePaise: num(l.linePaise),
    })),
    subtotalPaise: num(item.subtotalPaise),
    deliveryFeePaise: num(item.deliveryFeePaise),
    totalPaise: num(item.totalPaise),
    currency: 'INR',
    deliveryLocation: {
      lat: num(location.lat),
      lng: num(location.lng),
      ...(str(location.label) !== undefined ? { label: str(location.label) } : {}),
      ...(str(location.address) !== undefined ? { address: str(location.address) } : {}),
    },
    ...(str(item.deliveryNote) !== undefined ? { deliveryNote: str(item.deliveryNote) } : {}),
    reservationExpiresAt: String(item.reservationExpiresAt),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: num(item.version),
    history: ((item.history ?? []) as Record<string, unknown>[]).map((h) => ({
      status: String(h.status) as Order['status'],
      at: String(h.at),
      by: String(h.by) as Order['history'][number]['by'],
      ...(str(h.userId) !== undefined ? { userId: str(h.userId) } : {}),
      ...(str(h.reason) !== undefined ? { reason: str(h.reason) } : {}),
    })),
    ...(item.cancellation ? { cancellation: item.cancellation as Order['cancellation'] } : {}),
    ...(item.refund ? { refund: item.refund as Order['refund'] } : {}),
    ...(item.payment ? { payment: item.payment as Order['payment'] } : {}),
  };
}

export const eventsFromItem = (item: Record<string, unknown>): OrderEvent[] =>
  Object.values((item.outbox ?? {}) as Record<string, OrderEvent>).sort((a, b) => a.version - b.version);
