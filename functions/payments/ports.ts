import type { PayableOrder } from '#shared/published/order-payment';
import type { NotificationRequest } from '#shared/published/notification-request';
import type { RefundRequest } from '#shared/published/refund-request';
import type {
  ChargeOutcome,
  PartialRefund,
  Payment,
  PaymentMethod,
  PaymentStatus,
  ProviderName,
} from './domain';

export interface ChargeRequest {
  /** Also the provider's idempotency key: a retried charge of the same payment never charges twice. */
  readonly paymentId: string;
  readonly amountPaise: number;
  readonly currency: 'INR';
  readonly method: PaymentMethod;
  readonly token: string;
}

/**
 * A payment provider (the simulator, Stripe). Every call has its own timeout: past it a call throws
 * `ProviderTimeoutError` (the effect may have happened); 5xx and network failures throw
 * `ProviderUnavailableError`; a decline is an answer, not an error.
 */
export interface PaymentProvider {
  readonly name: ProviderName;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The provider's record of the payment's charge, `undefined` if it has none. */
  chargeStatus(paymentId: string): Promise<ChargeOutcome | undefined>;
  /**
   * Refunds `amountPaise` of the charge; idempotent per `refundKey` (the provider's idempotency key:
   * `refund:<paymentId>` for the whole payment, `refund:<paymentId>:<exchangeId>` for an exchange's lines).
   */
  refund(request: {
    readonly paymentId: string;
    readonly refundKey: string;
    readonly amountPaise: number;
    readonly chargeReference?: string;
  }): Promise<{ readonly reference: string }>;
  /** The provider's record of the refund made under `refundKey`, `undefined` if it has none. */
  refundStatus(paymentId: string, refundKey: string): Promise<{ readonly reference: string } | undefined>;
}

/** A verified webhook's meaning, as the provider adapter maps it. */
export type WebhookEvent =
  | {
      readonly kind: 'charge';
      readonly eventId: string;
      readonly paymentId: string;
      readonly outcome: ChargeOutcome;
    }
  | {
      readonly kind: 'refund';
      readonly eventId: string;
      readonly paymentId: string;
      readonly reference: string;
      /** The refund's key (absent from providers' older events: the whole payment's refund). */
      readonly refundKey?: string;
    }
  | { readonly kind: 'ignored'; readonly eventId: string };

export type SettleOutcome =
  /** Payment SUCCEEDED and order CONFIRMED in one transaction. */
  | 'confirmed'
  /** Payment SUCCEEDED but the order could not be confirmed (cancelled, expired): a refund is owed. */
  | 'refund-owed'
  /** Payment FAILED and the order CANCELLED (PAYMENT_FAILED), stock released. */
  | 'failed'
  /** The payment was already settled (a redelivery, a webhook after the worker): nothing changed. */
  | 'already-settled';

export interface PaymentsRepository {
  /** Payment put and order attach in one transaction; `false` if the order's condition failed. */
  create(payment: Payment, nowMs: number): Promise<boolean>;
  get(paymentId: string): Promise<Payment | undefined>;
  /** The order as payments sees it (strongly consistent). */
  order(orderId: string): Promise<PayableOrder | undefined>;
  /** PENDING/PROCESSING → PROCESSING with attempts + 1 (an attempt is about to be made). */
  startAttempt(paymentId: string, at: string): Promise<Payment | undefined>;
  /** Records why the last attempt failed (the payment stays PROCESSING). */
  recordFailure(paymentId: string, reason: string, at: string): Promise<void>;
  /** Settles an open payment with the provider's outcome (and moves its order), idempotently. */
  settle(paymentId: string, outcome: ChargeOutcome, at: string): Promise<SettleOutcome>;
  /** SUCCEEDED → REFUND_PENDING (the order shows it); `false` if the payment is not SUCCEEDED. */
  markRefundPending(
    paymentId: string,
    reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT',
    at: string,
  ): Promise<boolean>;
  /** A refund attempt is about to be made (refund.attempts + 1). */
  startRefundAttempt(paymentId: string, at: string): Promise<void>;
  recordRefundFailure(paymentId: string, reason: string, at: string): Promise<void>;
  /** REFUND_PENDING → REFUNDED (the order shows it); `false` if it was not REFUND_PENDING. */
  markRefunded(paymentId: string, reference: string, at: string): Promise<boolean>;
  /** Open payments (PENDING, PROCESSING, REFUND_PENDING) not changed since `beforeMs`, oldest first. */
  stale(beforeMs: number, limit: number): Promise<readonly Payment[]>;
  /** Remembers a webhook event id; `false` if it was seen before (a replay). */
  rememberEvent(provider: ProviderName, eventId: string, nowMs: number): Promise<boolean>;
}

/** Part refunds of payments (an exchange's lines), one per exchange. */
export interface PartialRefundsRepository {
  get(paymentId: string, exchangeId: string): Promise<PartialRefund | undefined>;
  /**
   * Records the part refund and counts it in the payment's `refundedPaise`, in one transaction; the one
   * recorded before for this exchange (a redelivery); or `refused` when the payment is not SUCCEEDED or
   * the refund would pass what was charged.
   */
  open(
    payment: Payment,
    request: { readonly exchangeId: string; readonly amountPaise: number },
    at: string,
  ): Promise<PartialRefund | 'refused'>;
  /** An attempt is about to be made (attempts + 1); throws if it is no longer PENDING. */
  startAttempt(refund: PartialRefund, at: string): Promise<void>;
  recordFailure(refund: PartialRefund, reason: string, at: string): Promise<void>;
  /** PENDING → REFUNDED with the exchange's refund settled too; `false` if it was already REFUNDED. */
  markRefunded(refund: PartialRefund, providerReference: string, at: string): Promise<boolean>;
  /** Part refunds still PENDING whose last change was at or before `beforeMs` (sparse index; may lag). */
  stale(beforeMs: number, limit: number): Promise<readonly PartialRefund[]>;
}

/** The breaker state every instance shares (kept in the Payments table). */
export interface BreakerStateStore {
  read(provider: ProviderName): Promise<{ readonly state: unknown; readonly version: number } | undefined>;
  /** Writes if the stored version is still `version` (0: none stored); `false` if another instance wrote. */
  write(provider: ProviderName, state: unknown, version: number, summary: BreakerSummary): Promise<boolean>;
}

export interface BreakerSummary {
  readonly breaker: 'closed' | 'open' | 'half-open';
  /** Failed share of the calls in the breaker's window (0-1). */
  readonly failureRate: number;
  /** Until then an open breaker lets no call through (epoch ms). */
  readonly openUntilMs?: number;
}

/** Runs provider calls through the breaker whose state all instances share. */
export interface SharedBreaker {
  /** Throws `BreakerOpenError` without calling `fn` while the breaker is open. */
  execute<T>(fn: () => Promise<T>): Promise<T>;
  summary(): Promise<BreakerSummary>;
}

export interface PaymentQueues {
  /** The payment's message for the worker (optionally delayed: a deferral while the breaker is open). */
  requestPayment(paymentId: string, delaySeconds?: number): Promise<void>;
  requestRefunds(requests: readonly RefundRequest[]): Promise<void>;
  notify(requests: readonly NotificationRequest[]): Promise<void>;
}

/** Secrets of the provider (Secrets Manager through Powertools Parameters in AWS; the simulator's locally). */
export interface ProviderSecrets {
  /** The API key the provider authenticates calls with. */
  apiKey(): Promise<string>;
  /** The secret webhooks are signed with. */
  webhookSecret(): Promise<string>;
}

export interface Logger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface PaymentDeps {
  readonly payments: PaymentsRepository;
  /** Given to the functions that settle refunds (they are given the Exchanges table). */
  readonly partialRefunds?: PartialRefundsRepository;
  readonly queues: PaymentQueues;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newId: () => string;
}

export interface WorkerDeps extends PaymentDeps {
  readonly provider: PaymentProvider;
  readonly breaker: SharedBreaker;
  /** Base of the exponential backoff between attempts (seconds). */
  readonly retryBaseSeconds: number;
}

export type { PaymentStatus };
