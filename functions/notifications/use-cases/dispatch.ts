/**
 * The dispatcher: one request → one notification (its id derived from the idempotency key), rendered in the
 * user's locale, each channel decided by the user's preferences (send, defer past quiet hours, suppress),
 * and one message per channel to send on that channel's queue.
 *
 * Redelivery-safe: the notification is written once (conditional); a request seen again re-sends the
 * messages of the channels still QUEUED — the workers claim each delivery once, so a re-sent message has
 * no second effect, and a dispatcher that died between the write and the sends loses nothing.
 */
import {
  decide,
  defaultPreferences,
  notificationIdFor,
  type ChannelMessage,
  type Delivery,
  type Notification,
  type NotificationChannel,
  type NotificationRequest,
} from '../domain';
import { hasTemplate, render } from '../templates';
import type { DispatchDeps } from '../ports';

export interface DispatchResult {
  readonly notificationId: string;
  readonly duplicate: boolean;
  readonly queued: readonly NotificationChannel[];
}

export async function dispatch(
  deps: DispatchDeps,
  request: NotificationRequest,
  opts: { campaignId?: string } = {},
): Promise<DispatchResult> {
  const notificationId = notificationIdFor(request.idempotencyKey, request.occurredAt);
  // No read first: a request seen again is rare, and its conditional put below tells.
  const [stored, contact, devices] = await Promise.all([
    deps.preferences.get(request.userId),
    deps.contacts.get(request.userId),
    deps.devices.list(request.userId),
  ]);
  const preferences = stored ?? defaultPreferences(contact?.locale);
  const emailSuppressed = contact?.email ? await deps.suppressions.isSuppressed(contact.email) : false;
  const now = deps.now();
  const at = now.toISOString();
  const content = render(request.eventType, preferences.locale, request.data);

  const deliveries: Partial<Record<NotificationChannel, Delivery>> = {};
  let dueAtMs: number | undefined;
  if (!content) {
    // Not a known event: said on every channel asked for, and not retried (no retry adds a template).
    for (const channel of request.channels ?? ['in_app' as const])
      deliveries[channel] = {
        status: 'FAILED',
        reason: `No template for event ${request.eventType}`,
        updatedAt: at,
        attempts: 0,
      };
  } else {
    const decisions = decide(
      request,
      { preferences, contact: contact ?? {}, devices, emailSuppressed },
      (channel) => hasTemplate(request.eventType, channel),
      now,
    );
    for (const d of decisions) {
      if (d.action === 'send') deliveries[d.channel] = { status: 'QUEUED', updatedAt: at, attempts: 0 };
      else if (d.action === 'suppress')
        deliveries[d.channel] = { status: 'SUPPRESSED', reason: d.reason, updatedAt: at, attempts: 0 };
      else {
        deliveries[d.channel] = {
          status: 'DEFERRED',
          reason: d.reason,
          dueAt: d.dueAt.toISOString(),
          updatedAt: at,
          attempts: 0,
        };
        dueAtMs = Math.min(dueAtMs ?? Infinity, d.dueAt.getTime());
      }
    }
  }

  const notification: Notification = {
    notificationId,
    userId: request.userId,
    eventType: request.eventType,
    priority: request.priority,
    idempotencyKey: request.idempotencyKey,
    locale: preferences.locale,
    content: content ?? { title: request.eventType, body: '' },
    data: request.data,
    occurredAt: request.occurredAt,
    createdAt: at,
    deliveries,
    ...(opts.campaignId ? { campaignId: opts.campaignId } : {}),
  };
  if (!(await deps.notifications.create(notification, dueAtMs))) {
    // Another delivery of the same request got there first: its deliveries stand.
    const winner = await deps.notifications.get(notificationId);
    if (!winner) throw new Error(`Notification ${notificationId} exists but cannot be read`);
    return resend(deps, winner);
  }
  const queued = queuedChannels(notification);
  await deps.queues.send(queued.map((channel) => message(notification, channel)));
  return { notificationId, duplicate: false, queued };
}

async function resend(deps: DispatchDeps, notification: Notification): Promise<DispatchResult> {
  const queued = queuedChannels(notification);
  await deps.queues.send(queued.map((channel) => message(notification, channel)));
  return { notificationId: notification.notificationId, duplicate: true, queued };
}

const queuedChannels = (n: Notification): NotificationChannel[] =>
  (Object.entries(n.deliveries) as [NotificationChannel, Delivery][])
    .filter(([, d]) => d.status === 'QUEUED')
    .map(([channel]) => channel);

export const message = (n: Notification, channel: NotificationChannel): ChannelMessage => ({
  notificationId: n.notificationId,
  userId: n.userId,
  channel,
});
