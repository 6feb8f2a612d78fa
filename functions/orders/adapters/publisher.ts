/**
 * Where order events go. Until the OrderEvents queue is wired, events stay in the orders' outboxes
 * (publishing is refused, so nothing is marked published) and are relayed once it is.
 */
import type { OrderEventPublisher } from '../ports';

export function orderEventPublisher(_env: NodeJS.ProcessEnv): OrderEventPublisher {
  return {
    publish: async () => {
      throw new Error('No order events queue is configured; events stay in the outbox');
    },
  };
}
