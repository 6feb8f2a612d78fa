/** The in-app channel: the notification lands in the user's inbox (idempotent: one item per notification). */
import type { ChannelAdapter, Inbox } from '../ports';

export const inAppAdapter = (inbox: Inbox): ChannelAdapter => ({
  channel: 'in_app',
  idempotent: true,
  async send({ notification: n }) {
    await inbox.put({
      notificationId: n.notificationId,
      userId: n.userId,
      eventType: n.eventType,
      title: n.content.title,
      body: n.content.body,
      data: n.data,
      createdAt: n.occurredAt,
      readAt: null,
    });
    return {};
  },
});
