/**
 * Exchanges: a customer asks to replace delivered items of their order (damaged, wrong, expired, poor
 * quality, missing parts) within a window after delivery; rules or a reviewer decide; an approved exchange
 * reserves replacement stock at the order's store and is delivered like an order, or — when the stock is
 * gone — is refunded instead. Plain data and rules; no AWS SDK here.
 */
import {
  ConflictError,
  domainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { StoreAccess } from '#shared/published/store-access';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const EXCHANGE_REASONS = ['damaged', 'wrong_item', 'expired', 'quality', 'missing_parts'] as const;
export type ExchangeReason = (typeof EXCHANGE_REASONS)[number];

export const EXCHANGE_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'REPLACEMENT_RESERVED',
  'REPLACEMENT_UNAVAILABLE',
  'OUT_FOR_DELIVERY',
  'COMPLETED',
] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

/** The replacement delivery's own steps, moved by the store's staff and rider like an order's. */
export const DELIVERY_STEPS = ['PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;
export type DeliveryStep = (typeof DELIVERY_STEPS)[number];

export type Actor = 'customer' | 'store_staff' | 'delivery_partner' | 'admin' | 'rules';

export interface ExchangeLine {
  readonly productId: string;
  readonly name: string;
  readonly unit: string;
  readonly quantity: number;
  readonly reason: ExchangeReason;
  readonly unitPricePaise: number;
}

export interface HistoryEntry {
  /** An exchange status, or PACKED (a step of the replacement delivery). */
  readonly status: ExchangeStatus | 'PACKED';
  readonly at: string;
  readonly by: Actor;
  readonly userId?: string;
  readonly note?: string;
}

export interface Exchange {
  readonly exchangeId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly status: ExchangeStatus;
  readonly lines: readonly ExchangeLine[];
  /** What the replaced units cost the customer: the auto-approval limit and the refund when unavailable. */
  readonly valuePaise: number;
  readonly note?: string;
  readonly photoKeys: readonly string[];
  /** The replacement delivery, once its stock is reserved. */
  readonly delivery?: { readonly status: 'PENDING' | DeliveryStep };
  /** The order's payment: what a refund comes out of. */
  readonly paymentId?: string;
  /**
   * Set when the replacement could not be reserved: the lines are refunded instead, by the payments
   * service, which settles this (REFUNDED, published/exchange-refund.ts).
   */
  readonly refund?: {
    readonly status: 'PENDING' | 'REFUNDED';
    readonly amountPaise: number;
    readonly refundedAt?: string;
    readonly providerReference?: string;
  };
  readonly history: readonly HistoryEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** The stage's exchange rules (stage config `exchanges`, handed to the functions as EXCHANGE_RULES). */
export interface ExchangeRules {
  /** Hours after delivery a request is accepted. */
  readonly windowHours: number;
  /** Shorter (or longer) windows by category slug; a subcategory inherits its parent's. */
  readonly categoryWindowHours: Readonly<Record<string, number>>;
  /** Category slugs whose products are never exchanged (a subcategory inherits its parent's). */
  readonly notExchangeable: readonly string[];
  readonly autoApprove: {
    /** At most this value of replaced units in one exchange. */
    readonly maxValuePaise: number;
    /** Fewer than this many exchanges of the customer in the period before. */
    readonly maxRecentExchanges: number;
    readonly periodDays: number;
    /** Reasons a person always reviews. */
    readonly reviewedReasons: readonly ExchangeReason[];
  };
}

export const MAX_NOTE = 500;
export const MAX_PHOTOS = 5;

export class ExchangeWindowClosedError extends domainError(
  422,
  'Exchange window closed',
  'exchange-window-closed',
) {}
export class NotExchangeableError extends domainError(422, 'Not exchangeable', 'not-exchangeable') {}
export class NotDeliveredError extends domainError(422, 'Order not delivered', 'order-not-delivered') {}
export class QuantityExceededError extends domainError(
  409,
  'More than was delivered',
  'exchange-quantity-exceeded',
) {}
export class StaleExchangeError extends domainError(409, 'Conflict', 'stale-exchange') {}

export const exchangeErrors = {
  orderNotFound: (orderId: string) => new NotFoundError(`No order ${orderId}.`),
  notFound: (exchangeId: string) => new NotFoundError(`No exchange ${exchangeId}.`),
  notDelivered: (status: string) =>
    new NotDeliveredError(`Only a delivered order's items can be exchanged; this order is ${status}.`),
  windowClosed: (productIds: readonly string[], hours: readonly number[]) =>
    new ExchangeWindowClosedError(
      `The exchange window after delivery has closed for ${productIds.join(', ')} (${[...new Set(hours)].join(', ')} hours).`,
      undefined,
      { productIds },
    ),
  notExchangeable: (productIds: readonly string[]) =>
    new NotExchangeableError(`These products cannot be exchanged: ${productIds.join(', ')}.`, undefined, {
      productIds,
    }),
  invalid: (errors: readonly FieldError[]) => new ValidationError('The request has invalid fields.', errors),
  exceeded: (
    lines: readonly { productId: string; delivered: number; claimed: number; requested: number }[],
  ) =>
    new QuantityExceededError(
      'More units than were delivered would be exchanged (counting the order’s other exchanges); nothing was requested.',
      undefined,
      { lines },
    ),
  stale: (status: ExchangeStatus) =>
    new StaleExchangeError(`The exchange is ${status} now; that change no longer applies.`),
  notAllowed: (status: ExchangeStatus, to: string) =>
    new ConflictError(`An exchange that is ${status} cannot become ${to}.`),
  wrongRole: (what: string) => new ForbiddenError(`Your role at this store may not ${what}.`),
  unpaid: (orderId: string) =>
    new ConflictError(
      `The replacement is out of stock and order ${orderId} names no successful payment to refund the lines from.`,
    ),
};

/** The value of the replaced units in paise. */
export const valueOf = (lines: readonly ExchangeLine[]): number =>
  lines.reduce((sum, l) => sum + l.unitPricePaise * l.quantity, 0);

/** Hours a product may be exchanged after delivery, or null when its category is never exchanged. */
export function windowHoursFor(rules: ExchangeRules, categorySlugs: readonly string[]): number | null {
  if (categorySlugs.some((slug) => rules.notExchangeable.includes(slug))) return null;
  // Most specific first: a subcategory's own window wins over its parent's.
  for (const slug of categorySlugs) {
    const hours = rules.categoryWindowHours[slug];
    if (hours !== undefined) return hours;
  }
  return rules.windowHours;
}

/** Whether the rules approve without a person: small, not a habit, and no reason that is always reviewed. */
export function autoApproves(
  rules: ExchangeRules,
  exchange: Pick<Exchange, 'lines' | 'valuePaise'>,
  recentExchanges: number,
): boolean {
  const { autoApprove } = rules;
  return (
    exchange.valuePaise <= autoApprove.maxValuePaise &&
    recentExchanges < autoApprove.maxRecentExchanges &&
    !exchange.lines.some((l) => autoApprove.reviewedReasons.includes(l.reason))
  );
}

/** The caller may read the exchange: its customer, the staff or rider of its store, or an admin. */
export function mayRead(caller: Caller, exchange: Exchange, store: StoreAccess | undefined): boolean {
  if (caller.roles.includes('admin')) return true;
  if (caller.roles.includes('customer') && exchange.customerId === caller.userId) return true;
  return isStoreMember(caller, store, ['store_staff', 'delivery_partner']);
}

/** Assigned to the store in one of `roles`, which the caller's token also holds. */
export function isStoreMember(
  caller: Caller,
  store: StoreAccess | undefined,
  roles: readonly ('store_staff' | 'delivery_partner')[],
): boolean {
  const role = store?.staff[caller.userId];
  return role !== undefined && roles.includes(role) && caller.roles.includes(role);
}

/** Who moves each step of the replacement delivery, from which state of the exchange. */
export const DELIVERY_MOVES: Readonly<
  Record<
    DeliveryStep,
    { readonly role: 'store_staff' | 'delivery_partner'; readonly from: 'PENDING' | DeliveryStep }
  >
> = {
  PACKED: { role: 'store_staff', from: 'PENDING' },
  OUT_FOR_DELIVERY: { role: 'delivery_partner', from: 'PACKED' },
  DELIVERED: { role: 'delivery_partner', from: 'OUT_FOR_DELIVERY' },
};

/** The exchange status after a delivery step (PACKED leaves it REPLACEMENT_RESERVED). */
export const statusAfterStep = (step: DeliveryStep): ExchangeStatus =>
  step === 'PACKED' ? 'REPLACEMENT_RESERVED' : step === 'OUT_FOR_DELIVERY' ? 'OUT_FOR_DELIVERY' : 'COMPLETED';

/** A photo key of this order's exchanges (what the upload route hands out). */
export const photoPrefix = (orderId: string) => `exchanges/${orderId}/`;
export const PHOTO_KEY_PATTERN =
  /^exchanges\/[0-9A-HJKMNP-TV-Z]{26}\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/;
