/**
 * Published item layout of the Orders table as the payments service reads and moves it (ADR 9, ADR 18).
 * The orders service owns the table (functions/orders/adapters/items.ts); payments makes exactly three
 * writes on an order, each a condition-guarded part of a transaction with its own payment item:
 *
 * - **attach**: records `payment = {paymentId, status}` on a `PENDING_PAYMENT` order that has no payment
 *   yet and whose reservation has not expired (one order, at most one payment in flight);
 * - **confirm**: `PENDING_PAYMENT → CONFIRMED`, by `payments`, only for the attached payment, only while
 *   the reservation holds, conditional on the version read (as every orders transition);
 * - **cancel**: `PENDING_PAYMENT → CANCELLED` (`PAYMENT_FAILED`), releasing every line's reserved units
 *   (published stock layout), conditional on the version read;
 *
 * plus `payment.status` updates (`REFUND_PENDING`, `REFUNDED`) for the attached payment, with the order's
 * `refund` (owed, then refunded with `refundedAt`). Transitions write
 * what orders' own transitions write: status, version + 1, history entry, `storeStatus`, the event in the
 * outbox with the outbox index keys (the orders relay publishes it to `OrderEvents`), and they drop the
 * sparse expiry keys — so the reservation sweeper can never cancel a confirmed order, and a payment can
 * never confirm a cancelled one.
 */
import { stockMoveUpdate } from './stock-moves';

/** Reason of an order cancelled because its payment was declined. */
export const PAYMENT_FAILED = 'PAYMENT_FAILED';
/** Sparse index keys of the Orders table (shared with functions/orders/adapters/items.ts). */
export const EXPIRY_SHARD = 'PENDING';
export const OUTBOX_SHARD = 'OUTBOX';
export const orderKey = (orderId: string) => ({ orderId });
export const storeStatusKey = (storeId: string, status: string) => `${storeId}#${status}`;

/** What the order shows of its payment (`status` is the payment's, see functions/payments/domain.ts). */
export interface OrderPaymentSummary {
  readonly paymentId: string;
  readonly status: string;
}

export interface PayableOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly status: string;
  readonly totalPaise: number;
  readonly reservationExpiresAt: string;
  readonly version: number;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  readonly payment?: OrderPaymentSummary;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function payableOrderFromItem(item: Record<string, unknown>): PayableOrder {
  const payment = item.payment as Record<string, unknown> | undefined;
  return {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    storeId: String(item.storeId),
    status: String(item.status),
    totalPaise: num(item.totalPaise),
    reservationExpiresAt: String(item.reservationExpiresAt),
    version: num(item.version),
    lines: ((item.lines ?? []) as Record<string, unknown>[]).map((l) => ({
      productId: String(l.productId),
      quantity: num(l.quantity),
    })),
    ...(payment && typeof payment.paymentId === 'string'
      ? { payment: { paymentId: payment.paymentId, status: String(payment.status) } }
      : {}),
  };
}

/** Attributes to read (projection) — nothing else of the order concerns payments. */
export const PAYABLE_ORDER_ATTRIBUTES = [
  'orderId',
  'customerId',
  'storeId',
  'status',
  'totalPaise',
  'reservationExpiresAt',
  'version',
  'lines',
  'payment',
] as const;

/** One element of TransactWriteItems (document client shape). */
export interface TransactUpdate {
  readonly Update: {
    readonly TableName: string;
    readonly Key: Record<string, unknown>;
    readonly UpdateExpression: string;
    readonly ConditionExpression?: string;
    readonly ExpressionAttributeNames: Record<string, string>;
    readonly ExpressionAttributeValues?: Record<string, unknown>;
  };
}

/** Attach a new payment to the customer's payable order (fails its condition otherwise). */
export function attachPayment(
  ordersTable: string,
  order: { readonly orderId: string; readonly customerId: string },
  payment: OrderPaymentSummary,
  nowMs: number,
): TransactUpdate {
  return {
    Update: {
      TableName: ordersTable,
      Key: orderKey(order.orderId),
      UpdateExpression: 'SET #payment = :payment',
      ConditionExpression:
        '#status = :pending AND attribute_not_exists(#payment) AND #expiresAtMs > :now AND #customerId = :customerId',
      ExpressionAttributeNames: {
        '#payment': 'payment',
        '#status': 'status',
        '#expiresAtMs': 'reservationExpiresAtMs',
        '#customerId': 'customerId',
      },
      ExpressionAttributeValues: {
        ':payment': payment,
        ':pending': 'PENDING_PAYMENT',
        ':now': nowMs,
        ':customerId': order.customerId,
      },
    },
  };
}

interface Move {
  readonly to: 'CONFIRMED' | 'CANCELLED';
  readonly reason?: string;
  readonly at: string;
  readonly payment: OrderPaymentSummary;
}

/** The order event of a payments transition, in the orders service's event shape (`<orderId>:<version>`). */
export function paymentTransitionEvent(order: PayableOrder, move: Move) {
  const version = order.version + 1;
  return {
    eventId: `${order.orderId}:${version}`,
    type: 'order.status_changed' as const,
    orderId: order.orderId,
    customerId: order.customerId,
    storeId: order.storeId,
    status: move.to,
    previousStatus: order.status,
    version,
    at: move.at,
    totalPaise: order.totalPaise,
    ...(move.reason !== undefined ? { reason: move.reason } : {}),
  };
}

function transitionUpdate(ordersTable: string, order: PayableOrder, move: Move): TransactUpdate {
  const event = paymentTransitionEvent(order, move);
  const entry = {
    status: move.to,
    at: move.at,
    by: 'payments',
    ...(move.reason ? { reason: move.reason } : {}),
  };
  const sets = [
    '#status = :to',
    '#version = :newVersion',
    '#updatedAt = :now',
    '#history = list_append(#history, :entry)',
    '#storeStatus = :storeStatus',
    '#outbox.#eventId = :event',
    '#outboxShard = :outboxShard',
    '#outboxAtMs = if_not_exists(#outboxAtMs, :nowMs)',
    '#payment = :payment',
  ];
  const names: Record<string, string> = {
    '#status': 'status',
    '#version': 'version',
    '#updatedAt': 'updatedAt',
    '#history': 'history',
    '#storeStatus': 'storeStatus',
    '#outbox': 'outbox',
    '#eventId': event.eventId,
    '#outboxShard': 'outboxShard',
    '#outboxAtMs': 'outboxAtMs',
    '#expiryShard': 'expiryShard',
    '#expiresAtMs': 'reservationExpiresAtMs',
    '#payment': 'payment',
    '#paymentId': 'paymentId',
  };
  const values: Record<string, unknown> = {
    ':from': 'PENDING_PAYMENT',
    ':version': order.version,
    ':to': move.to,
    ':newVersion': event.version,
    ':now': move.at,
    ':entry': [entry],
    ':storeStatus': storeStatusKey(order.storeId, move.to),
    ':event': event,
    ':outboxShard': OUTBOX_SHARD,
    ':nowMs': Date.parse(move.at),
    ':payment': move.payment,
    ':paymentId': move.payment.paymentId,
  };
  let condition = '#status = :from AND #version = :version AND #payment.#paymentId = :paymentId';
  if (move.to === 'CONFIRMED') {
    // A charge that succeeded after the reservation expired never confirms the order (it is refunded).
    condition += ' AND #expiresAtMs > :nowMs';
  } else {
    sets.push('#cancellation = :cancellation');
    names['#cancellation'] = 'cancellation';
    values[':cancellation'] = { reason: move.reason ?? PAYMENT_FAILED, by: 'payments' };
  }
  return {
    Update: {
      TableName: ordersTable,
      Key: orderKey(order.orderId),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE #expiryShard, #expiresAtMs`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** PENDING_PAYMENT → CONFIRMED for the attached, now succeeded payment. */
export function confirmOrder(
  ordersTable: string,
  order: PayableOrder,
  payment: OrderPaymentSummary,
  at: string,
): TransactUpdate {
  return transitionUpdate(ordersTable, order, { to: 'CONFIRMED', at, payment });
}

/** PENDING_PAYMENT → CANCELLED (PAYMENT_FAILED) with every line's reservation released. */
export function cancelOrderForPayment(
  tables: { readonly orders: string; readonly inventory: string },
  order: PayableOrder,
  payment: OrderPaymentSummary,
  at: string,
): TransactUpdate[] {
  return [
    transitionUpdate(tables.orders, order, { to: 'CANCELLED', reason: PAYMENT_FAILED, at, payment }),
    // The release every order flow uses (stock-moves.ts): never below zero, conditional on the hold.
    ...order.lines.map((line) => stockMoveUpdate(tables.inventory, order.storeId, line, 'release', at)),
  ];
}

/**
 * The attached payment's status as the order shows it (only that payment's). A refund's progress is the
 * order's `refund` too: `REFUND_PENDING` marks it owed (kept if the cancellation already did),
 * `REFUNDED` settles it, so the order never shows a refund pending that the payment has made.
 */
export function setOrderPaymentStatus(
  ordersTable: string,
  orderId: string,
  payment: OrderPaymentSummary,
  refund?: { readonly amountPaise: number; readonly at: string },
): TransactUpdate {
  const values: Record<string, unknown> = { ':status': payment.status, ':paymentId': payment.paymentId };
  let refundSet = '';
  if (refund && (payment.status === 'REFUND_PENDING' || payment.status === 'REFUNDED')) {
    const owed = { amountPaise: refund.amountPaise, paymentId: payment.paymentId };
    if (payment.status === 'REFUND_PENDING') {
      values[':refund'] = { status: 'PENDING', ...owed };
      refundSet = ', #refund = if_not_exists(#refund, :refund)';
    } else {
      values[':refund'] = { status: 'REFUNDED', ...owed, refundedAt: refund.at };
      refundSet = ', #refund = :refund';
    }
  }
  return {
    Update: {
      TableName: ordersTable,
      Key: orderKey(orderId),
      UpdateExpression: `SET #payment.#status = :status${refundSet}`,
      ConditionExpression: '#payment.#paymentId = :paymentId',
      ExpressionAttributeNames: {
        '#payment': 'payment',
        '#status': 'status',
        '#paymentId': 'paymentId',
        ...(refundSet ? { '#refund': 'refund' } : {}),
      },
      ExpressionAttributeValues: values,
    },
  };
}
