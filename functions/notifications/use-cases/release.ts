/**
 * Deferral past quiet hours (SQS delays stop at 15 minutes; quiet hours last all night): a deferred
 * delivery stays in the notification as DEFERRED with its due time, and the notification sits in a sparse
 * index by due time. Every minute this releases what is due: the channel messages are sent first, then the
 * deliveries become QUEUED. A run that dies in between sends them again next minute — the workers claim a
 * due DEFERRED delivery once, so nothing is sent twice and nothing waits forever.
 */
import type { Delivery, NotificationChannel } from '../domain';
import type { ChannelQueues, Logger, NotificationStore } from '../ports';
import { message } from './dispatch';

export interface ReleaseDeps {
  readonly notifications: NotificationStore;
  readonly queues: ChannelQueues;
  readonly logger: Logger;
  readonly now: () => Date;
}

export async function releaseDue(deps: ReleaseDeps, limit = 500): Promise<number> {
  const now = deps.now();
  let released = 0;
  for (const notification of await deps.notifications.due(now.getTime(), limit)) {
    const channels = (Object.entries(notification.deliveries) as [NotificationChannel, Delivery][])
      .filter(
        ([, d]) => d.status === 'DEFERRED' && d.dueAt !== undefined && Date.parse(d.dueAt) <= now.getTime(),
      )
      .map(([channel]) => channel);
    if (channels.length > 0)
      await deps.queues.send(channels.map((channel) => message(notification, channel)));
    await deps.notifications.release(notification.notificationId, channels, now.toISOString());
    released += channels.length;
  }
  if (released > 0) deps.logger.info('Released deferred deliveries', { released });
  return released;
}
