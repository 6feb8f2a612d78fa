/** Admins: any notification with its delivery status per channel, and a user's notifications. */
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import * as z from 'zod/mini';
import { notificationErrors, type Notification } from '../domain';
import type { NotificationStore } from '../ports';
import { once } from '#shared/once';

export const notificationView = (n: Notification) => ({
  notificationId: n.notificationId,
  userId: n.userId,
  eventType: n.eventType,
  priority: n.priority,
  idempotencyKey: n.idempotencyKey,
  locale: n.locale,
  title: n.content.title,
  body: n.content.body,
  occurredAt: n.occurredAt,
  createdAt: n.createdAt,
  deliveries: n.deliveries,
  ...(n.campaignId ? { campaignId: n.campaignId } : {}),
});

export async function getNotification(
  deps: { notifications: NotificationStore },
  notificationId: string,
): Promise<Notification> {
  const n = await deps.notifications.get(notificationId);
  if (!n) throw notificationErrors.notFound(notificationId);
  return n;
}

const cursorKey = once(() => z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) }));

export async function listUserNotifications(
  deps: { notifications: NotificationStore },
  userId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: readonly Notification[]; nextCursor: string | null }> {
  const scope = `admin-notifications:${userId}`;
  const after = decodeCursor(query.cursor, scope, cursorKey)?.id;
  const page = await deps.notifications.listByUser(userId, query.limit, after);
  return { items: page.items, nextCursor: page.next ? encodeCursor({ id: page.next }, scope) : null };
}
