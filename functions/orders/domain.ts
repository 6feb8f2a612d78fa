/**
 * Orders: states and transitions, who may make them, what each does to the reserved stock, and the event
 * every transition publishes.
 */
import { ConflictError, domainError, ForbiddenError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { StoreAccess } from '#shared/published/store-access';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'CONFIRMED',
  'PACKED',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The reason the sweeper gives an order whose reservation expired unpaid. */
export const RESERVATION_EXPIRED = 'RESERVATION_EXPIRED';

/** Who made a transition (`system`: the reservation sweeper; `payments`: the payment work). */
export type Actor = 'customer' | 'store_staff' | 'delivery_partner' | 'admin' | 'system' | 'payments';

export interface OrderLine {
  readonly productId: string;
  readonly name: string;
  readonly unit: string;
  readonly quantity: number;
  readonly unitPricePaise: number;
  readonly linePaise: number;
}

export interface HistoryEntry {
  readonly status: OrderStatus;
  readonly at: string;
  readonly by: Actor;
  readonly userId?: string;
  readonly reason?: string;
}

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly subtotalPaise: number;
  readonly deliveryFeePaise: number;
  readonly totalPaise: number;
  readonly currency: 'INR';
  readonly deliveryLocation: {
    readonly lat: number;
    readonly lng: number;
    readonly label?: string;
    readonly address?: string;
  };
  readonly deliveryNote?: string;
  /** Until then the stock is held for payment; past it, while unpaid, the sweeper cancels the order. */
  readonly reservationExpiresAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Grows by one with every transition; the event of a transition is `<orderId>:<version>`. */
  readonly version: number;
  readonly history: readonly HistoryEntry[];
  readonly cancellation?: { readonly reason: string; readonly by: Actor };
  /** A paid order that was cancelled is refunded by the payments work, which settles this (REFUNDED). */
  readonly refund?: {
    readonly status: 'PENDING' | 'REFUNDED';
    readonly amountPaise: number;
    readonly paymentId?: string;
    readonly refundedAt?: string;
  };
  /** The order's payment and its status, written by the payments service (published/order-payment.ts). */
  readonly payment?: { readonly paymentId: string; readonly status: string };
}

/** What a transition does to the order's reserved units. */
export type StockEffect = 'release' | 'sell' | 'none';

/** Allowed transitions: from → to, with the stock effect. */
export const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderStatus, StockEffect>>>> = {
  PENDING_PAYMENT: { CONFIRMED: 'none', CANCELLED: 'release' },
  CONFIRMED: { PACKED: 'none', CANCELLED: 'release' },
  PACKED: { OUT_FOR_DELIVERY: 'sell', CANCELLED: 'release' },
  OUT_FOR_DELIVERY: { DELIVERED: 'none' },
  DELIVERED: {},
  CANCELLED: {},
};

/** The customer may cancel before the order leaves the store. */
export const CANCELLABLE: readonly OrderStatus[] = ['PENDING_PAYMENT', 'CONFIRMED', 'PACKED'];
/** Payment was taken in these states, so a cancellation owes a refund. */
export const PAID: readonly OrderStatus[] = ['CONFIRMED', 'PACKED'];

/** The moves of the status route: the state each needs and who at the store makes it. */
export const STAFF_MOVES = {
  PACKED: { from: 'CONFIRMED', role: 'store_staff' },
  OUT_FOR_DELIVERY: { from: 'PACKED', role: 'delivery_partner' },
  DELIVERED: { from: 'OUT_FOR_DELIVERY', role: 'delivery_partner' },
} as const satisfies Partial<
  Record<OrderStatus, { from: OrderStatus; role: 'store_staff' | 'delivery_partner' }>
>;
export type StaffMove = keyof typeof STAFF_MOVES;

export interface OrderEvent {
  /** Stable: `<orderId>:<version>`; a redelivery carries the same id, so consumers dedupe on it. */
  readonly eventId: string;
  readonly type: 'order.placed' | 'order.status_changed';
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus | null;
  readonly version: number;
  readonly at: string;
  readonly totalPaise: number;
  readonly reason?: string;
  /** A cancelled paid order's refund owed (an event is never of a refunded order: it has no moves left). */
  readonly refund?: { readonly status: 'PENDING'; readonly amountPaise: number; readonly paymentId?: string };
}

export const eventId = (orderId: string, version: number) => `${orderId}:${version}`;

export function eventOf(order: Order, previousStatus: OrderStatus | null, reason?: string): OrderEvent {
  return {
    eventId: eventId(order.orderId, order.version),
    type: previousStatus === null ? 'order.placed' : 'order.status_changed',
    orderId: order.orderId,
    customerId: order.customerId,
    storeId: order.storeId,
    status: order.status,
    previousStatus,
    version: order.version,
    at: order.updatedAt,
    totalPaise: order.totalPaise,
    ...(reason !== undefined ? { reason } : {}),
    ...(order.refund?.status === 'PENDING'
      ? {
          refund: {
            status: 'PENDING',
            amountPaise: order.refund.amountPaise,
            ...(order.refund.paymentId !== undefined ? { paymentId: order.refund.paymentId } : {}),
          },
        }
      : {}),
  };
}

export class InsufficientStockError extends domainError(409, 'Insufficient stock', 'insufficient-stock') {}
export class CheckoutContentionError extends domainError(409, 'Conflict', 'contention') {}
export class EmptyCartError extends domainError(422, 'Empty cart', 'empty-cart') {}
export class NoSavedLocationError extends domainError(422, 'No delivery location', 'no-saved-location') {}
export class NotServiceableError extends domainError(422, 'Not serviceable', 'not-serviceable') {}
export class CartTooLargeError extends domainError(422, 'Cart too large', 'cart-too-large') {}
export class QuantityAboveLimitError extends domainError(
  422,
  'Quantity above limit',
  'quantity-above-limit',
) {}
export class StaleTransitionError extends domainError(409, 'Conflict', 'stale-transition') {}

export interface ShortLine {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

export const orderErrors = {
  notFound: (orderId: string) => new NotFoundError(`No order ${orderId}.`),
  storeNotFound: (storeId: string) => new NotFoundError(`No store ${storeId}.`),
  short: (lines: readonly ShortLine[]) =>
    new InsufficientStockError(
      'Not enough stock for some lines; nothing was reserved. Change their quantities and try again.',
      undefined,
      { lines },
    ),
  contention: () =>
    new CheckoutContentionError(
      'The stock is being reserved by many orders at once; nothing was reserved, try again.',
    ),
  emptyCart: () => new EmptyCartError('The cart is empty.'),
  noLocation: () => new NoSavedLocationError('Save a delivery location first (PUT /v1/me/location).'),
  notServiceable: () =>
    new NotServiceableError('No store delivers to the saved location right now. Save another location.'),
  tooLarge: (max: number) => new CartTooLargeError(`An order holds at most ${max} different products.`),
  overLimit: (productIds: readonly string[]) =>
    new QuantityAboveLimitError(
      `More than the per-order maximum of ${productIds.join(', ')}; lower the quantity in the cart.`,
    ),
  stale: (status: OrderStatus) =>
    new StaleTransitionError(`The order is ${status} now; that change no longer applies.`),
  notAllowed: (status: OrderStatus, to: OrderStatus) =>
    new ConflictError(`An order that is ${status} cannot become ${to}.`),
  wrongRole: (to: OrderStatus) => new ForbiddenError(`Your role at this store may not mark an order ${to}.`),
  forbiddenStore: () => new ForbiddenError("Only the store's own staff and admins may list its orders."),
};

/** The caller may read the order: its customer, the staff or rider of its store, or an admin. */
export function mayRead(caller: Caller, order: Order, store: StoreAccess | undefined): boolean {
  if (caller.roles.includes('admin')) return true;
  if (caller.roles.includes('customer') && order.customerId === caller.userId) return true;
  return isStoreMember(caller, store);
}

/** Assigned to the store, in a role the caller also holds. */
export function isStoreMember(caller: Caller, store: StoreAccess | undefined): boolean {
  const role = store?.staff[caller.userId];
  return role !== undefined && caller.roles.includes(role);
}
