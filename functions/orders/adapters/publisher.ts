/**
 * Order events to the `OrderEvents` SQS queue (a standard queue: at least once, unordered). The body is
 * the event in its published layout (functions/shared/published/order-event.ts); consumers dedupe on
 * `eventId` and order by `version`.
 */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { orderEventSchema, type OrderEvent } from '#shared/published/order-event';
import { sendMessages } from '#shared/queue/send';
import type { OrderEventPublisher } from '../ports';

export function sqsOrderEventPublisher(env: NodeJS.ProcessEnv = process.env): OrderEventPublisher {
  const { ORDER_EVENTS_QUEUE_URL } = parseEnv(
    { ORDER_EVENTS_QUEUE_URL: z.string().check(z.minLength(1)) },
    env,
  );
  return {
    publish: (events) =>
      sendMessages(
        ORDER_EVENTS_QUEUE_URL,
        // The domain's event is the published layout (a type error here if they drift); checked before it
        // leaves, like every published message.
        events.map((event) => ({ body: orderEventSchema.parse(event satisfies OrderEvent) })),
      ),
  };
}

/** For the functions that only read orders: they never transition, so they never publish. */
export const readOnlyPublisher: OrderEventPublisher = {
  publish: async () => {
    throw new Error('This function does not publish order events');
  },
};
