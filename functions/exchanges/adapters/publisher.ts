/**
 * Sends an exchange's outbox messages: notifications to NotificationRequests, refunds to RefundRequests
 * (published layouts). Throws when a send fails: the messages stay in the outbox for the relay.
 */
import { requestNotifications } from '#shared/published/notification-request';
import { requestRefunds } from '#shared/published/refund-request';
import type { OutboxMessage } from '../outbox';
import type { OutboxPublisher } from '../ports';

export function queuePublisher(queues: {
  readonly notificationRequests: string;
  /** Only the functions that may find a replacement unavailable (approvals, the relay) send refunds. */
  readonly refundRequests?: string;
}): OutboxPublisher {
  return {
    async publish(messages: readonly OutboxMessage[]) {
      const refunds = messages.flatMap((m) => (m.kind === 'refund' ? [m.request] : []));
      if (refunds.length > 0) {
        if (!queues.refundRequests)
          throw new Error('A refund is owed but this function does not send to RefundRequests');
        await requestRefunds(queues.refundRequests, refunds);
      }
      await requestNotifications(
        queues.notificationRequests,
        messages.flatMap((m) => (m.kind === 'notification' ? [m.request] : [])),
      );
    },
  };
}
