/**
 * Order events to the `OrderEvents` SQS queue (a standard queue: at least once, unordered). The body is
 * the event in its published layout (functions/shared/published/order-event.ts); consumers dedupe on
 * `eventId` and order by `version`. An event that owes a refund (a paid order cancelled) is also a refund
 * request on `RefundRequests` (published layout, ADR 18): sent from the same outbox entry, so a failed send
 * leaves the event for the relay and the refund is never lost.
 */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { orderEventSchema, type OrderEvent } from '#shared/published/order-event';
import { requestRefunds } from '#shared/published/refund-request';
import { sendMessages } from '#shared/queue/send';
import type { OrderEventPublisher } from '../ports';

export function sqsOrderEventPublisher(env: NodeJS.ProcessEnv = process.env): OrderEventPublisher {
  const { ORDER_EVENTS_QUEUE_URL, REFUND_REQUESTS_QUEUE_URL } = parseEnv(
    {
      ORDER_EVENTS_QUEUE_URL: z.string().check(z.minLength(1)),
      // Only the functions that can cancel a paid order (or relay its event) declare RefundRequests.
      REFUND_REQUESTS_QUEUE_URL: z.optional(z.string().check(z.minLength(1))),
    },
    env,
  );
  return {
    publish: async (events) => {
      const refunds = events.flatMap((event) =>
        event.refund?.paymentId
          ? [
              {
                paymentId: event.refund.paymentId,
                orderId: event.orderId,
                reason: 'ORDER_CANCELLED' as const,
                requestedAt: event.at,
              },
            ]
          : [],
      );
      if (refunds.length > 0) {
        if (!REFUND_REQUESTS_QUEUE_URL)
          throw new Error('A refund is owed but this function does not send to RefundRequests');
        await requestRefunds(REFUND_REQUESTS_QUEUE_URL, refunds);
      }
      await sendMessages(
        ORDER_EVENTS_QUEUE_URL,
        // The domain's event is the published layout (a type error here if they drift); checked before it
        // leaves, like every published message.
        events.map((event) => ({ body: orderEventSchema().parse(event satisfies OrderEvent) })),
      );
    },
  };
}

/** For the functions that only read orders: they never transition, so they never publish. */
export const readOnlyPublisher: OrderEventPublisher = {
  publish: async () => {
    throw new Error('This function does not publish order events');
  },
};
