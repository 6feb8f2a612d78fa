/**
 * Tells the customer of every change of their exchange through the NotificationRequests queue (published
 * layout functions/shared/published/notification-request.ts): event `exchange.<status>` (`exchange.packed`
 * for the replacement's packing), keyed by exchange and version so a retried change is told once.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { requestNotifications } from '#shared/published/notification-request';
import type { Exchange } from '../domain';
import type { ExchangeNotifier } from '../ports';

export function eventTypeOf(exchange: Exchange): string {
  const last = exchange.history.at(-1);
  return `exchange.${(last?.status === 'PACKED' ? 'PACKED' : exchange.status).toLowerCase()}`;
}

export function queueNotifier(queueUrl: string, logger: Logger): ExchangeNotifier {
  return {
    async changed(exchange) {
      try {
        await requestNotifications(queueUrl, [
          {
            eventType: eventTypeOf(exchange),
            userId: exchange.customerId,
            data: {
              exchangeId: exchange.exchangeId,
              orderId: exchange.orderId,
              status: exchange.status,
              ...(exchange.refund ? { refundPaise: exchange.refund.amountPaise } : {}),
            },
            idempotencyKey: `exchange:${exchange.exchangeId}:${exchange.version}`,
            priority: 'transactional',
            occurredAt: exchange.updatedAt,
          },
        ]);
      } catch (error) {
        // The change stands (it is stored); the customer sees it in the app. Logged for the on-call.
        logger.error('Exchange notification not enqueued', {
          exchangeId: exchange.exchangeId,
          version: exchange.version,
          error: String(error),
        });
      }
    },
  };
}
