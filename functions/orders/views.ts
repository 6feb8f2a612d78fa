import type { Order } from './domain';

/** What clients see of an order (no storage attributes, no user ids in the history). */
export const orderView = (o: Order) => ({
  orderId: o.orderId,
  customerId: o.customerId,
  storeId: o.storeId,
  status: o.status,
  lines: o.lines.map((l) => ({ ...l })),
  subtotalPaise: o.subtotalPaise,
  deliveryFeePaise: o.deliveryFeePaise,
  totalPaise: o.totalPaise,
  currency: o.currency,
  deliveryLocation: { ...o.deliveryLocation },
  ...(o.deliveryNote !== undefined ? { deliveryNote: o.deliveryNote } : {}),
  reservationExpiresAt: o.reservationExpiresAt,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
  version: o.version,
  history: o.history.map(({ status, at, by, reason }) => ({
    status,
    at,
    by,
    ...(reason !== undefined ? { reason } : {}),
  })),
  ...(o.cancellation ? { cancellation: { ...o.cancellation } } : {}),
  ...(o.refund ? { refund: { ...o.refund } } : {}),
  ...(o.payment ? { payment: { paymentId: o.payment.paymentId, status: o.payment.status } } : {}),
});
