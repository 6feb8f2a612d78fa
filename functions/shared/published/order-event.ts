/**
 * Published message layout of the `OrderEvents` queue (ADR 9's rule for items, applied to a message): the
 * orders service writes every state change of an order into the order's outbox and relays it here (ADR 14);
 * the notifications service (and later consumers) read it.
 *
 * Delivery is at least once and unordered (a standard queue): `eventId = <orderId>:<version>` is stable, so
 * a consumer dedupes on it and orders by `version`.
 */
import * as z from 'zod/mini';
import { once } from '../once';

export const ORDER_EVENT_STATUSES = [
  'PENDING_PAYMENT',
  'CONFIRMED',
  'PACKED',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderEventStatus = (typeof ORDER_EVENT_STATUSES)[number];

export const ORDER_EVENT_TYPES = ['order.placed', 'order.status_changed'] as const;

export const orderEventId = (orderId: string, version: number) => `${orderId}:${version}`;

// Built on first use: a producer needs it only when it sends (ADR 10).
export const orderEventSchema = once(() =>
  z.object({
    /** Stable: `<orderId>:<version>`; a redelivery carries the same id. */
    eventId: z.string().check(z.regex(/^[^:]{1,64}:\d{1,9}$/)),
    type: z.enum(ORDER_EVENT_TYPES),
    orderId: z.string().check(z.minLength(1), z.maxLength(64)),
    /** The customer (Cognito sub) who placed the order. */
    customerId: z.string().check(z.minLength(1), z.maxLength(128)),
    storeId: z.string().check(z.minLength(1), z.maxLength(64)),
    status: z.enum(ORDER_EVENT_STATUSES),
    previousStatus: z.nullable(z.enum(ORDER_EVENT_STATUSES)),
    /** Grows by one with every transition of the order. */
    version: z.number().check(z.int(), z.gte(1)),
    /** When the transition happened (ISO 8601). */
    at: z.iso.datetime(),
    totalPaise: z.number().check(z.int(), z.gte(0)),
    /** Cancellations: why (e.g. `RESERVATION_EXPIRED`, or the customer's words). */
    reason: z.optional(z.string().check(z.maxLength(500))),
    /** A paid order that was cancelled is refunded by the payments work. */
    refund: z.optional(
      z.object({
        status: z.literal('PENDING'),
        amountPaise: z.number().check(z.int(), z.gte(0)),
        /** The payment owed back (RefundRequests carries the request itself). */
        paymentId: z.optional(z.string()),
      }),
    ),
  }),
);

/** One order event as it travels on `OrderEvents`. */
export type OrderEvent = z.infer<ReturnType<typeof orderEventSchema>>;
