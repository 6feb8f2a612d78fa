/** HTTP contracts of the payments service: pay for an order, read a payment, provider webhooks, provider health. */
import * as z from 'zod/mini';
import { defineRoute } from '#shared/http/route';
import { PAYMENT_METHODS, PAYMENT_STATUSES, PROVIDERS, ULID_PATTERN } from './domain';

const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));

const TAGS = ['Payments'];

export const paymentBody = () =>
  z.strictObject({
    method: z.enum(PAYMENT_METHODS),
    /** The provider's token for the instrument (from its client SDK); never a card number. */
    paymentToken: z
      .string()
      .check(z.regex(/^[A-Za-z0-9_-]{3,128}$/, 'A provider token: 3 to 128 letters, digits, _ or -')),
  });

export const paymentAccepted = () => z.object({ paymentId: z.string(), status: z.literal('PENDING') });

export const paymentSchema = () =>
  z.object({
    paymentId: z.string(),
    orderId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    method: z.enum(PAYMENT_METHODS),
    amountPaise: z.number().check(z.int()),
    currency: z.literal('INR'),
    attempts: z.number().check(z.int()),
    failureReason: z.nullable(z.string()),
    providerReference: z.nullable(z.string()),
    /**
     * Paise given back so far: the whole amount once the payment is REFUNDED (the order was cancelled), else
     * the sum of its part refunds (replacements an exchange could not supply), while it stays SUCCEEDED.
     */
    refundedPaise: z.number().check(z.int(), z.gte(0)),
    refund: z.optional(
      z.object({
        reason: z.enum(['ORDER_CANCELLED', 'LATE_PAYMENT']),
        attempts: z.number().check(z.int()),
        providerReference: z.nullable(z.string()),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  });

export const createPaymentRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders/{orderId}/payments',
  summary:
    "Pays for the caller's PENDING_PAYMENT order whose reservation holds: the payment is recorded and queued (202); the worker charges the provider, and the order becomes CONFIRMED or CANCELLED (PAYMENT_FAILED)",
  tags: TAGS,
  auth: { roles: ['customer'] },
  idempotent: true,
  request: () => ({ pathParams: z.strictObject({ orderId: ulidSchema() }), body: paymentBody() }),
  success: { status: 202, description: 'The payment, queued', schema: paymentAccepted },
  errors: [404, 409],
});

export const getPaymentRoute = defineRoute({
  method: 'GET',
  path: '/v1/payments/{paymentId}',
  summary: 'One payment: status, attempts, failure reason, provider reference (its customer, admins)',
  tags: TAGS,
  auth: { roles: ['customer', 'admin'] },
  request: () => ({ pathParams: z.strictObject({ paymentId: ulidSchema() }) }),
  success: { status: 200, description: 'The payment', schema: paymentSchema },
  errors: [404],
});

export const webhookRoute = defineRoute({
  method: 'POST',
  path: '/v1/payments/webhooks/{provider}',
  summary:
    'Provider webhooks: HMAC-SHA256 over the raw body (X-Zepto-Signature, or Stripe-Signature, `t=<unix>,v1=<hex>`, 5-minute tolerance); replayed event ids are ignored; a bad signature is 401',
  tags: TAGS,
  auth: { public: true },
  request: () => ({
    pathParams: z.strictObject({ provider: z.enum(PROVIDERS) }),
    headers: z.object({
      'x-zepto-signature': z.optional(z.string().check(z.maxLength(1024))),
      'stripe-signature': z.optional(z.string().check(z.maxLength(1024))),
    }),
    body: z.record(z.string(), z.unknown()),
  }),
  success: {
    status: 200,
    description: 'Received (also for a replay, which changes nothing)',
    schema: () => z.object({ received: z.literal(true), duplicate: z.boolean(), applied: z.boolean() }),
  },
  errors: [401],
});

export const providerHealthRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/payments/provider-health',
  summary:
    "The payment provider's shared circuit breaker, the failure rate in its window, and the depths of the payment queue and its DLQ",
  tags: TAGS,
  auth: { roles: ['admin'] },
  success: {
    status: 200,
    description: 'Provider health',
    schema: () =>
      z.object({
        breaker: z.enum(['closed', 'open', 'half-open']),
        failureRate: z.number(),
        queueDepth: z.number().check(z.int()),
        dlqDepth: z.number().check(z.int()),
      }),
  },
});

/** A message of the `PaymentRequests` queue (the service's own): the payment to work on. */
export const paymentMessageSchema = () => z.strictObject({ paymentId: ulidSchema() });
