/**
 * Publishing order events from the outbox (ADR 14): each transition writes its event into the order's
 * outbox in its own transaction; right after it, the event is published and marked published. If that
 * fails (or the function dies in between), the event stays in the outbox and the sweeper's relay publishes
 * it later. At least once, never lost; a redelivery carries the same `eventId`.
 */
import type { OrderEvent } from '../domain';
import type { EventDeps } from '../ports';

/** Publishes and marks published; never throws (what is left in the outbox is relayed later). */
export async function publishNow(
  deps: EventDeps,
  orderId: string,
  events: readonly OrderEvent[],
): Promise<void> {
  try {
    await deps.publisher.publish(events);
    await deps.orders.markPublished(
      orderId,
      events.map((e) => e.eventId),
    );
  } catch (error) {
    deps.logger.warn('Order event left for the relay', { orderId, error: String(error) });
  }
}

/** Events older than this in an outbox are the relay's (the request that wrote them had its chance). */
export const RELAY_AFTER_MS = 30_000;

/** Publishes what is left in outboxes; returns the number of events published. */
export async function relayUnpublished(deps: EventDeps, nowMs: number, limit = 100): Promise<number> {
  let published = 0;
  for (const { orderId, events } of await deps.orders.unpublished(nowMs - RELAY_AFTER_MS, limit)) {
    if (events.length > 0) await deps.publisher.publish(events);
    await deps.orders.markPublished(
      orderId,
      events.map((e) => e.eventId),
    );
    published += events.length;
  }
  return published;
}
