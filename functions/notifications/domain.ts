/**
 * Notifications: what a notification is, its delivery per channel, the user's preferences, and the rules
 * that decide — per channel — whether a request is sent now, deferred past quiet hours, or suppressed.
 * No AWS SDK here.
 */
import { createHash } from 'node:crypto';
import { domainError, NotFoundError } from '#shared/errors';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationRequest,
} from '#shared/published/notification-request';

export { NOTIFICATION_CHANNELS, type NotificationChannel, type NotificationRequest };

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const DELIVERY_STATUSES = ['QUEUED', 'SENT', 'DEFERRED', 'FAILED', 'SUPPRESSED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Channels a user can switch off (in-app cannot be turned off for transactional messages). */
export const OPTIONAL_CHANNELS = ['push', 'email', 'whatsapp'] as const;
export type OptionalChannel = (typeof OPTIONAL_CHANNELS)[number];

export const LOCALES = ['en', 'hi'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Deliveries of a channel message before it goes to the channel's DLQ (the channel queues' maxReceiveCount). */
export const CHANNEL_MAX_RECEIVES = 5;
/** The channel workers' timeout (lib/app/services/notifications.ts), which their claims outlive. */
export const WORKER_TIMEOUT_SECONDS = 30;
/** In-app items are kept this long (DynamoDB TTL). */
export const INBOX_TTL_DAYS = 90;

export interface QuietHours {
  /** `HH:MM`, local to `timeZone`. */
  readonly start: string;
  readonly end: string;
  /** IANA time zone, e.g. `Asia/Kolkata`. */
  readonly timeZone: string;
}

export interface Preferences {
  readonly channels: Readonly<Record<OptionalChannel, boolean>>;
  /** false: no promotional message on any channel. */
  readonly promotional: boolean;
  readonly quietHours: QuietHours | null;
  readonly locale: Locale;
}

export const defaultPreferences = (locale: Locale = DEFAULT_LOCALE): Preferences => ({
  channels: { push: true, email: true, whatsapp: true },
  promotional: true,
  quietHours: null,
  locale,
});

/** Where a user can be reached: the identity profile's published contact fields, and their devices. */
export interface Contact {
  readonly email?: string;
  readonly phone?: string;
  readonly locale?: Locale;
}

export interface Device {
  readonly deviceId: string;
  readonly platform: 'android' | 'ios';
  /** The push provider's address of the device (SNS endpoint ARN in AWS, a local one otherwise). */
  readonly endpoint: string;
  readonly createdAt: string;
}

export interface Delivery {
  readonly status: DeliveryStatus;
  /** Why it is DEFERRED, FAILED or SUPPRESSED (or the last failed attempt of a QUEUED one). */
  readonly reason?: string;
  readonly updatedAt: string;
  /** Sends tried (a retried delivery counts each receive). */
  readonly attempts: number;
  /** DEFERRED: when the quiet hours end (ISO 8601). */
  readonly dueAt?: string;
  /** SENT: the provider's id of the message (SES message id, SNS message id, ...). */
  readonly providerId?: string;
  /** FAILED after every retry (its message went to the channel's DLQ): a redrive sends it again. */
  readonly redrivable?: boolean;
}

/** What a channel shows: rendered once per notification in the user's locale. */
export interface Rendered {
  readonly title: string;
  readonly body: string;
  /** WhatsApp: the approved template's name and its parameters, in order. */
  readonly whatsapp?: { readonly template: string; readonly parameters: readonly string[] };
}

export interface Notification {
  readonly notificationId: string;
  readonly userId: string;
  readonly eventType: string;
  readonly priority: NotificationRequest['priority'];
  readonly idempotencyKey: string;
  readonly locale: Locale;
  readonly content: Rendered;
  /** Keys of the request's data that the templates use (the values are in the inbox item). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
  readonly createdAt: string;
  readonly deliveries: Readonly<Partial<Record<NotificationChannel, Delivery>>>;
  /** The campaign that sent it, if any. */
  readonly campaignId?: string;
  /**
   * Where its queued channels go, as the dispatcher read it (email, phone, devices): the workers send to it
   * without reading the profile and the devices again. Absent on notifications written before it was kept
   * (their workers read the contact as before).
   */
  readonly to?: Recipient;
}

/** The addresses of one notification's channels (only those of channels that send). */
export interface Recipient {
  readonly email?: string;
  readonly phone?: string;
  readonly devices?: readonly Device[];
}

/** A notification in the inbox (in-app channel). */
export interface InboxItem {
  readonly notificationId: string;
  readonly userId: string;
  readonly eventType: string;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/** The message on a channel queue: enough to deliver without reading the request again. */
export interface ChannelMessage {
  readonly notificationId: string;
  readonly userId: string;
  readonly channel: NotificationChannel;
}

/**
 * The notification id of a request: a ULID whose time is the event's and whose randomness is a hash of the
 * idempotency key, so the same request (a redelivery, a retried producer) always maps to the same id, and
 * inbox order is event order.
 */
export function notificationIdFor(idempotencyKey: string, occurredAt: string): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = Math.max(0, Math.min(Date.parse(occurredAt), 2 ** 48 - 1));
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const digest = createHash('sha256').update(idempotencyKey).digest();
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[digest[i]! % 32];
  return head + tail;
}

export type Decision =
  | { readonly channel: NotificationChannel; readonly action: 'send' }
  | {
      readonly channel: NotificationChannel;
      readonly action: 'defer';
      readonly dueAt: Date;
      readonly reason: string;
    }
  | { readonly channel: NotificationChannel; readonly action: 'suppress'; readonly reason: string };

export interface Audience {
  readonly preferences: Preferences;
  readonly contact: Contact;
  readonly devices: readonly Device[];
  /** Email addresses that bounced or complained (SES events). */
  readonly emailSuppressed: boolean;
}

/**
 * Per channel: send now, defer (promotional, in quiet hours, not in-app) or suppress (opted out, no address,
 * no template). Transactional messages always reach in-app and ignore quiet hours; the channel switches
 * apply to every message (a user who turns WhatsApp off gets no WhatsApp at all).
 */
export function decide(
  request: Pick<NotificationRequest, 'priority' | 'channels'>,
  audience: Audience,
  hasTemplate: (channel: NotificationChannel) => boolean,
  now: Date,
): Decision[] {
  const { preferences } = audience;
  const promotional = request.priority === 'promotional';
  const asked = new Set<NotificationChannel>(request.channels ?? NOTIFICATION_CHANNELS);
  if (!promotional) asked.add('in_app');
  const quietEnd =
    promotional && preferences.quietHours ? quietHoursEnd(preferences.quietHours, now) : undefined;
  return NOTIFICATION_CHANNELS.filter((c) => asked.has(c)).map((channel): Decision => {
    if (promotional && !preferences.promotional)
      return { channel, action: 'suppress', reason: 'Opted out of promotional messages' };
    if (channel !== 'in_app') {
      if (!preferences.channels[channel])
        return { channel, action: 'suppress', reason: `Opted out of ${channel}` };
      if (channel === 'email' && !audience.contact.email)
        return { channel, action: 'suppress', reason: 'No email address' };
      if (channel === 'email' && audience.emailSuppressed)
        return { channel, action: 'suppress', reason: 'Email address suppressed (bounce or complaint)' };
      if (channel === 'whatsapp' && !audience.contact.phone)
        return { channel, action: 'suppress', reason: 'No phone number' };
      if (channel === 'push' && audience.devices.length === 0)
        return { channel, action: 'suppress', reason: 'No registered device' };
    }
    if (!hasTemplate(channel)) return { channel, action: 'suppress', reason: `No template for ${channel}` };
    if (quietEnd && channel !== 'in_app')
      return { channel, action: 'defer', dueAt: quietEnd, reason: 'Quiet hours' };
    return { channel, action: 'send' };
  });
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (hhmm: string): number => {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`Not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

export const isTimeOfDay = (value: string): boolean => HHMM.test(value);

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight in `timeZone` at `now`. */
function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When the quiet hours that contain `now` end, or undefined outside them. `start` > `end` wraps past
 * midnight (22:00–08:00); `start` = `end` means no quiet hours. The end is counted in whole local minutes
 * from now (zones without DST, such as Asia/Kolkata, are exact; across a DST change it may be an hour off).
 */
export function quietHoursEnd(quiet: QuietHours, now: Date): Date | undefined {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const current = localMinutes(now, quiet.timeZone);
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return undefined;
  const wait = (end - current + 24 * 60) % (24 * 60);
  const atMinute = new Date(now);
  atMinute.setUTCSeconds(0, 0);
  return new Date(atMinute.getTime() + wait * 60_000);
}

export class DeviceLimitError extends domainError(409, 'Too many devices', 'device-limit') {}

export const notificationErrors = {
  notFound: (notificationId: string) => new NotFoundError(`No notification ${notificationId}.`),
  deviceNotFound: (deviceId: string) => new NotFoundError(`No device ${deviceId}.`),
  campaignNotFound: (campaignId: string) => new NotFoundError(`No campaign ${campaignId}.`),
  deviceLimit: (max: number) =>
    new DeviceLimitError(
      `At most ${max} devices per user; remove one first (DELETE /v1/me/devices/{deviceId}).`,
    ),
};

/** Devices per user at most (each push fans out to every one). */
export const MAX_DEVICES = 10;
