/**
 * Payments: states, who may read a payment, the retry schedule, the breaker's settings, and the errors.
 * No AWS SDK here (ports.ts names what the use cases need).
 */
import { ConflictError, domainError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const PAYMENT_STATUSES = [
  'PENDING',
  'PROCESSING',
  'SUCCEEDED',
  'FAILED',
  'REFUND_PENDING',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ['card', 'upi'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Providers behind the port: the simulator (local, dev) and Stripe. */
export const PROVIDERS = ['simulator', 'stripe'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Statuses the worker or the reconciliation still has to settle. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['PENDING', 'PROCESSING', 'REFUND_PENDING'];

export interface Payment {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountPaise: number;
  readonly currency: 'INR';
  readonly method: PaymentMethod;
  /** The provider's token for the instrument (never returned to clients, never logged). */
  readonly paymentToken: string;
  readonly status: PaymentStatus;
  /** Provider calls made for the charge (a redelivery after a timeout asks before it charges again). */
  readonly attempts: number;
  readonly failureReason?: string;
  /** The provider's id of the charge. */
  readonly providerReference?: string;
  /** Paise refunded or being refunded in part (an exchange's lines, see `PartialRefund`). */
  readonly refundedPaise?: number;
  readonly refund?: {
    readonly reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT';
    readonly attempts: number;
    readonly providerReference?: string;
    readonly failureReason?: string;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A refund of part of a payment: an exchange's lines whose replacement could not be reserved. One per
 * exchange; the payment keeps its status (`SUCCEEDED`) and counts it in `refundedPaise`, which can never
 * pass the amount charged.
 */
export interface PartialRefund {
  readonly paymentId: string;
  readonly exchangeId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountPaise: number;
  readonly status: 'PENDING' | 'REFUNDED';
  readonly attempts: number;
  readonly providerReference?: string;
  readonly failureReason?: string;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

/** The provider's idempotency key of a refund: the whole payment's, or an exchange's part of it. */
export const refundKeyOf = (paymentId: string, exchangeId?: string) =>
  exchangeId === undefined ? `refund:${paymentId}` : `refund:${paymentId}:${exchangeId}`;

/** The exchange a refund key is of (undefined for the whole payment's refund). */
export function exchangeOfRefundKey(paymentId: string, refundKey: string | undefined): string | undefined {
  const prefix = `refund:${paymentId}:`;
  return refundKey?.startsWith(prefix) ? refundKey.slice(prefix.length) : undefined;
}

/** What the provider says about a charge (or a refund). */
export type ChargeOutcome =
  | { readonly outcome: 'succeeded'; readonly reference: string }
  | { readonly outcome: 'declined'; readonly reason: string; readonly reference?: string };

/** The provider did not answer in time: the charge may or may not have happened. */
export class ProviderTimeoutError extends Error {
  constructor(what: string) {
    super(`The payment provider did not answer ${what} in time`);
    this.name = 'ProviderTimeoutError';
  }
}
/** The provider failed (5xx, refused connection, a malformed answer): transient, try again later. */
export class ProviderUnavailableError extends Error {
  constructor(detail: string) {
    super(`The payment provider is unavailable: ${detail}`);
    this.name = 'ProviderUnavailableError';
  }
}
/** The breaker is open: the provider is not called at all until it half-opens. */
export class BreakerOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('The payment provider circuit is open');
    this.name = 'BreakerOpenError';
  }
}
/** Errors that count against the provider's health (and open the breaker). */
export const isProviderFailure = (error: unknown): boolean =>
  error instanceof ProviderTimeoutError || error instanceof ProviderUnavailableError;

/**
 * The shared breaker (ADR 18): opens when more than `threshold` of the calls in the last `windowMs` failed,
 * once at least `minimumCalls` were made in that window; half-opens (one test call) after `halfOpenAfterMs`.
 */
export const BREAKER = {
  threshold: 0.6,
  windowMs: 10_000,
  minimumCalls: 10,
  halfOpenAfterMs: 5_000,
} as const;

/**
 * Visibility timeout before the next attempt: exponential from `baseSeconds`, capped, full jitter (AWS's
 * "exponential backoff and jitter"), at least one second. `receiveCount` is SQS's count, 1 on the first.
 */
export function retryDelaySeconds(
  receiveCount: number,
  baseSeconds: number,
  random: () => number = Math.random,
  capSeconds = 300,
): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(random() * ceiling));
}

/** Delay of a message deferred while the breaker is open: until it half-opens, plus some jitter. */
export function deferralSeconds(retryAfterMs: number, random: () => number = Math.random): number {
  return Math.min(900, Math.max(1, Math.ceil(retryAfterMs / 1000) + Math.round(random() * 2)));
}

/** Its customer and admins may read a payment; anyone else gets a 404 (as for orders). */
export const mayRead = (caller: Caller, payment: Payment) =>
  caller.roles.includes('admin') ||
  (caller.roles.includes('customer') && payment.customerId === caller.userId);

export class OrderNotPayableError extends domainError(409, 'Order not payable', 'order-not-payable') {}

export const paymentErrors = {
  notFound: (paymentId: string) => new NotFoundError(`No payment ${paymentId}.`),
  orderNotFound: (orderId: string) => new NotFoundError(`No order ${orderId}.`),
  notPayable: (reason: string, detail: string) => new OrderNotPayableError(detail, undefined, { reason }),
  inFlight: () =>
    new ConflictError('This order already has a payment; read it with GET /v1/payments/{paymentId}.'),
};

/** Reasons of a 409 for a payment request (the `reason` member of the problem). */
export const NOT_PAYABLE = {
  status: 'ORDER_NOT_PENDING_PAYMENT',
  expired: 'RESERVATION_EXPIRED',
  hasPayment: 'PAYMENT_EXISTS',
} as const;

/** Money given back so far: all of it once the payment is REFUNDED, else the sum of its part refunds. */
export const refundedPaiseOf = (p: Payment): number =>
  p.status === 'REFUNDED' ? p.amountPaise : (p.refundedPaise ?? 0);

/** What clients see of a payment (no token). */
export const paymentView = (p: Payment) => ({
  paymentId: p.paymentId,
  orderId: p.orderId,
  status: p.status,
  method: p.method,
  amountPaise: p.amountPaise,
  currency: p.currency,
  attempts: p.attempts,
  failureReason: p.failureReason ?? null,
  providerReference: p.providerReference ?? null,
  refundedPaise: refundedPaiseOf(p),
  ...(p.refund
    ? {
        refund: {
          reason: p.refund.reason,
          attempts: p.refund.attempts,
          providerReference: p.refund.providerReference ?? null,
        },
      }
    : {}),
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});
