/**
 * Published message layout of the `RefundRequests` queue (ADR 9's rule applied to a message, ADR 18): a
 * paid order was cancelled, so its payment is owed back. The orders service enqueues it with the
 * cancellation's order event (from the order's outbox, so at least once, never lost); the payments
 * service enqueues it itself when a charge succeeds after the order was cancelled or its reservation
 * expired. The payments refund worker consumes it: idempotent per payment (one refund per payment, the
 * provider's idempotency key is `refund:<paymentId>`), so a duplicate request refunds nothing twice.
 */
import * as z from 'zod/mini';
import { sendMessages } from '../queue/send';

export const REFUND_REASONS = ['ORDER_CANCELLED', 'LATE_PAYMENT'] as const;

export const refundRequestSchema = z.strictObject({
  paymentId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
  orderId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
  reason: z.enum(REFUND_REASONS),
  requestedAt: z.iso.datetime(),
});
export type RefundRequest = z.infer<typeof refundRequestSchema>;

/** Enqueues the requests (validated first: a malformed request is the producer's bug, thrown here). */
export async function requestRefunds(queueUrl: string, requests: readonly RefundRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await sendMessages(
    queueUrl,
    requests.map((request) => ({ body: refundRequestSchema.parse(request) })),
  );
}
