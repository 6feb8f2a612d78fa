/**
 * Sending an exchange's outbox (outbox.ts): right after the change that wrote it, and by the relay
 * (every minute) for whatever is still there — the function died, or a queue refused. At least once,
 * never lost; the messages' keys make a repeat harmless downstream.
 */
import type { OutboxMessage } from '../outbox';
import type { RelayDeps } from '../ports';

/** Sends and drops them from the outbox; never throws (what stays is the relay's). */
export async function publishNow(
  deps: Pick<RelayDeps, 'exchanges' | 'publisher' | 'logger'>,
  exchangeId: string,
  messages: Readonly<Record<string, OutboxMessage>>,
): Promise<void> {
  try {
    await deps.publisher.publish(Object.values(messages));
    await deps.exchanges.markPublished(exchangeId, Object.keys(messages));
  } catch (error) {
    deps.logger.warn('Exchange messages left for the relay', { exchangeId, error: String(error) });
  }
}

/** Messages older than this are the relay's (the request that wrote them had its chance). */
export const RELAY_AFTER_MS = 30_000;

/** Sends what outboxes still hold; the number of messages sent. Throws if a send fails (retried next run). */
export async function relayExchangeOutbox(deps: RelayDeps, limit = 100): Promise<number> {
  let sent = 0;
  const due = await deps.exchanges.unpublished(deps.now().getTime() - RELAY_AFTER_MS, limit);
  for (const { exchangeId, messages } of due) {
    await deps.publisher.publish(Object.values(messages));
    await deps.exchanges.markPublished(exchangeId, Object.keys(messages));
    sent += Object.keys(messages).length;
  }
  return sent;
}
