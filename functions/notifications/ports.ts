import type {
  ChannelMessage,
  Contact,
  Delivery,
  Device,
  InboxItem,
  Notification,
  NotificationChannel,
  NotificationRequest,
  Preferences,
} from './domain';

export interface Page<T> {
  readonly items: readonly T[];
  /** The last key of the page when more may follow. */
  readonly next?: string;
}

/** Notifications and their delivery per channel (table `Notifications`). */
export interface NotificationStore {
  /** Writes a new notification; false when one with its id exists already. */
  create(notification: Notification, dueAtMs: number | undefined): Promise<boolean>;
  get(notificationId: string): Promise<Notification | undefined>;
  listByUser(userId: string, limit: number, after?: string): Promise<Page<Notification>>;
  /**
   * Takes the channel's delivery for one send: QUEUED (or DEFERRED past its due time, or FAILED after
   * exhausted retries — a redrive) → a claim until `leaseUntilMs`. `reclaim` also takes a delivery that
   * holds a lapsed claim (for adapters whose sends are idempotent). `early`: still DEFERRED and not due by
   * `nowMs` (the release got ahead of this worker's clock, or has not marked it QUEUED yet).
   */
  claim(
    notificationId: string,
    channel: NotificationChannel,
    nowMs: number,
    leaseUntilMs: number,
    reclaim: boolean,
  ): Promise<Claim>;
  /**
   * Ends the claim with the outcome (SENT, FAILED, SUPPRESSED) or gives it back (QUEUED with a reason). A
   * campaign's SENT also counts the send in the campaign's `delivered`, once per delivery.
   */
  settle(
    notificationId: string,
    channel: NotificationChannel,
    delivery: Delivery,
    campaignId?: string,
  ): Promise<void>;
  /** Notifications whose deferred deliveries are due by `nowMs` (sparse index). */
  due(nowMs: number, limit: number): Promise<readonly Notification[]>;
  /** DEFERRED → QUEUED for these channels, and the notification leaves the due index. */
  release(notificationId: string, channels: readonly NotificationChannel[], at: string): Promise<void>;
}

/** The outcome of a claim; a taken claim comes with the notification as it is now (no second read). */
export type Claim =
  | { readonly outcome: 'claimed'; readonly notification: Notification }
  | { readonly outcome: 'busy' }
  | { readonly outcome: 'lapsed' }
  | { readonly outcome: 'early' }
  | { readonly outcome: 'done' };

/** The in-app channel's inbox (table `NotificationInbox`, TTL 90 days). */
export interface Inbox {
  /** Idempotent: the same notification twice is one item. */
  put(item: InboxItem): Promise<void>;
  list(userId: string, opts: { limit: number; unread: boolean; after?: string }): Promise<Page<InboxItem>>;
  unreadCount(userId: string): Promise<number>;
  /** false when the user has no such item. */
  markRead(userId: string, notificationId: string, at: string): Promise<boolean>;
  /** Returns how many were marked. */
  markAllRead(userId: string, at: string): Promise<number>;
}

export interface PreferencesStore {
  /** Undefined: the user never set any (defaults apply, in the profile's locale). */
  get(userId: string): Promise<Preferences | undefined>;
  put(userId: string, preferences: Preferences): Promise<void>;
}

export interface DeviceStore {
  list(userId: string): Promise<readonly Device[]>;
  add(userId: string, device: Device): Promise<void>;
  /** false when the user has no such device. */
  remove(userId: string, deviceId: string): Promise<boolean>;
}

/** A user's preferences and devices together (one partition, so one read). */
export interface UserSettingsReader {
  read(userId: string): Promise<{ preferences?: Preferences; devices: readonly Device[] }>;
}

/** Email addresses that bounced or complained. */
export interface SuppressionList {
  isSuppressed(email: string): Promise<boolean>;
  suppress(email: string, reason: string, at: string): Promise<void>;
}

/** The identity profile's contact fields (published layout `user-contact.ts`). */
export interface ContactReader {
  get(userId: string): Promise<Contact | undefined>;
}

/** One queue per channel. */
export interface ChannelQueues {
  send(messages: readonly ChannelMessage[]): Promise<void>;
}

/** What a channel adapter gets to deliver one notification. */
export interface SendTarget {
  readonly notification: Notification;
  readonly contact: Contact;
  readonly devices: readonly Device[];
}

export interface SendResult {
  readonly providerId?: string;
  /** Push: device endpoints the provider has disabled (removed by the worker). */
  readonly disabledDevices?: readonly string[];
}

/** A failure that no retry will fix (a rejected address, a disabled endpoint): FAILED at once, no DLQ. */
export class PermanentSendError extends Error {
  constructor(
    message: string,
    /** Push: the user's devices whose endpoints the provider has disabled (removed by the worker). */
    readonly disabledDevices: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/** Every channel is one adapter behind this interface. */
export interface ChannelAdapter {
  readonly channel: NotificationChannel;
  /**
   * Sending the same notification twice has no second effect (the inbox and the outbox write a key of
   * their own), so a lapsed claim — a worker that died mid-send — may simply send again. Providers
   * without an idempotency key (SES, SNS, WhatsApp) say false: a lapsed claim is then FAILED with the
   * reason instead of risking a second message.
   */
  readonly idempotent: boolean;
  send(target: SendTarget): Promise<SendResult>;
}

/** Push endpoints: created when a device registers, deleted when it goes. */
export interface PushRegistry {
  register(platform: Device['platform'], token: string, userId: string): Promise<string>;
  unregister(endpoint: string): Promise<void>;
}

/** When a failed message comes back (SQS: its visibility timeout). */
export interface Backoff {
  /** After a wait that grows with the attempts. */
  retryLater(receiptHandle: string, eventSourceArn: string, attempt: number): Promise<void>;
  /**
   * At once, after its last attempt: SQS then moves it to the DLQ on its next receive, rather than when the
   * queue's visibility timeout (twice the worker's timeout) has run out.
   */
  dueNow(receiptHandle: string, eventSourceArn: string): Promise<void>;
}

export interface Logger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface Metrics {
  count(name: string, value?: number): void;
}

export interface DispatchDeps {
  readonly notifications: NotificationStore;
  readonly settings: UserSettingsReader;
  readonly contacts: ContactReader;
  readonly suppressions: SuppressionList;
  readonly queues: ChannelQueues;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface DeliverDeps {
  readonly notifications: NotificationStore;
  readonly adapter: ChannelAdapter;
  readonly contacts: ContactReader;
  readonly devices: DeviceStore;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  /** How long a send may take before its claim lapses (the worker's timeout). */
  readonly leaseMs: number;
  readonly maxReceives: number;
}

export interface InboxDeps {
  readonly inbox: Inbox;
  readonly now: () => Date;
}

export interface PreferencesDeps {
  readonly preferences: PreferencesStore;
  readonly contacts: ContactReader;
}

export interface DeviceDeps {
  readonly devices: DeviceStore;
  readonly push: PushRegistry;
  readonly now: () => Date;
  readonly newId: () => string;
}

export type { NotificationRequest };
