/**
 * Published message layout of the `RefundRequests` queue (ADR 9's rule applied to a message, ADR 18): a
 * paid order was cancelled, so its payment is owed back. The orders service enqueues it with the
 * cancellation's order event (from the order's outbox, so at least once, never lost); the payments
 * service enqueues it itself when a charge succeeds after the order was cancelled or its reservation
 * expired; the exchanges service when an approved exchange finds no replacement stock (a part refund). The payments refund worker consumes it: idempotent per payment (one refund per payment, the
 * provider's idempotency key is `refund:<paymentId>`, or `refund:<paymentId>:<exchangeId>` for an exchange's
 * part), so a duplicate request refunds nothing twice.
 */
import * as z from 'zod/mini';
import { once } from '../once';
import { sendMessages } from '../queue/send';

export const REFUND_REASONS = ['ORDER_CANCELLED', 'LATE_PAYMENT', 'EXCHANGE_UNAVAILABLE'] as const;

const ulid = () => z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/));

/**
 * `EXCHANGE_UNAVAILABLE` (the exchanges service, from its outbox): an exchange's replacement could not be
 * reserved, so its lines' value (`amountPaise`) is refunded — part of the payment, once per `exchangeId`.
 * The other reasons refund the whole payment and carry neither. Built on first use: a producer needs it
 * only when it sends (ADR 10).
 */
export const refundRequestSchema = once(() =>
  z
    .strictObject({
      paymentId: ulid(),
      orderId: ulid(),
      reason: z.enum(REFUND_REASONS),
      exchangeId: z.optional(ulid()),
      amountPaise: z.optional(z.number().check(z.int(), z.positive())),
      requestedAt: z.iso.datetime(),
    })
    .check(
      z.refine(
        (r) =>
          (r.reason === 'EXCHANGE_UNAVAILABLE') ===
          (r.exchangeId !== undefined && r.amountPaise !== undefined),
        'An exchange refund names its exchangeId and amountPaise; a whole refund names neither',
      ),
    ),
);
export type RefundRequest = z.infer<ReturnType<typeof refundRequestSchema>>;

/** Enqueues the requests (validated first: a malformed request is the producer's bug, thrown here). */
export async function requestRefunds(queueUrl: string, requests: readonly RefundRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await sendMessages(
    queueUrl,
    requests.map((request) => ({ body: refundRequestSchema().parse(request) })),
  );
}
