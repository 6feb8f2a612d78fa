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
  type Contact,
  type Delivery,
  type Device,
  type Notification,
  type NotificationChannel,
  type NotificationRequest,
} from '../domain';
import { hasTemplate, render } from '../templates';
import { CAMPAIGN_EVENT } from './campaigns';
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
  const [{ preferences: stored, devices }, contact] = await Promise.all([
    deps.settings.read(request.userId),
    deps.contacts.get(request.userId),
  ]);
  const preferences = stored ?? defaultPreferences(contact?.locale);
  const emailSuppressed = contact?.email ? await deps.suppressions.isSuppressed(contact.email) : false;
  const now = deps.now();
  const at = now.toISOString();
  const content = render(request.eventType, preferences.locale, request.data);
  // A campaign's requests name it (campaigns.ts): its workers count what they deliver.
  const campaignId =
    opts.campaignId ??
    (request.eventType === CAMPAIGN_EVENT && typeof request.data.campaignId === 'string'
      ? request.data.campaignId
      : undefined);

  const deliveries: Partial<Record<NotificationChannel, Delivery>> = {};
  const to: { email?: string; phone?: string; devices?: typeof devices } = {};
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
      // Kept for the workers (deferred ones too): they send without reading the contact again.
      if (d.action !== 'suppress') addressOf(d.channel, contact ?? {}, devices, to);
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
    ...(campaignId ? { campaignId } : {}),
    ...(Object.keys(to).length > 0 ? { to } : {}),
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

function addressOf(
  channel: NotificationChannel,
  contact: Contact,
  devices: readonly Device[],
  to: { email?: string; phone?: string; devices?: readonly Device[] },
): void {
  if (channel === 'email' && contact.email) to.email = contact.email;
  else if (channel === 'whatsapp' && contact.phone) to.phone = contact.phone;
  else if (channel === 'push') to.devices = devices;
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
