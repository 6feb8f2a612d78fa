/**
 * Published message layout of the `NotificationRequests` queue (ADR 9's rule for items, applied to a
 * message): what any service enqueues to have a user notified — order events, payment outcomes, import
 * results, exchange updates. The notifications service consumes it: it renders the event's template per
 * channel in the user's locale, applies their preferences and quiet hours, and fans out per channel.
 *
 * Producers declare `queues: {NotificationRequests: 'send'}` and call `requestNotifications`.
 */
import * as z from 'zod/mini';
import { once } from '../once';
import { sendMessages } from '../queue/send';

export const NOTIFICATION_CHANNELS = ['in_app', 'push', 'email', 'whatsapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

// Built on first use: a producer needs it only when it sends (ADR 10).
export const notificationRequestSchema = once(() =>
  z.strictObject({
    /** What happened, e.g. `order.confirmed`, `payment.refunded`, `inventory_import.finished`. */
    eventType: z.string().check(z.regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/), z.maxLength(64)),
    /** Who is told (the Cognito sub). */
    userId: z.string().check(z.minLength(1), z.maxLength(128)),
    /** The template's values; small and free of secrets (it is logged as keys only). */
    data: z.record(z.string(), z.unknown()),
    /**
     * Stable per notification (e.g. `order.confirmed:<orderId>`): a request enqueued twice — a retried
     * producer, a redelivered message — is delivered once.
     */
    idempotencyKey: z.string().check(z.minLength(1), z.maxLength(256)),
    /** Transactional messages always reach in-app and ignore quiet hours; promotional ones respect opt-outs. */
    priority: z.enum(['transactional', 'promotional']),
    /** Restrict to these channels; default: every channel the user's preferences allow. */
    channels: z.optional(z.array(z.enum(NOTIFICATION_CHANNELS)).check(z.minLength(1))),
    /** When the event happened (ISO 8601). */
    occurredAt: z.iso.datetime(),
  }),
);
export type NotificationRequest = z.infer<ReturnType<typeof notificationRequestSchema>>;

/** Enqueues the requests (validated first: a malformed request is the producer's bug, thrown here). */
export async function requestNotifications(
  queueUrl: string,
  requests: readonly NotificationRequest[],
): Promise<void> {
  await sendMessages(
    queueUrl,
    requests.map((request) => ({ body: notificationRequestSchema().parse(request) })),
  );
}
