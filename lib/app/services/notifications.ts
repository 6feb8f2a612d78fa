/**
 * The notifications service (ADR 19). Requests arrive on `NotificationRequests` (any service, published
 * layout) and order events on `OrderEvents`; the dispatcher renders and decides per channel and fans out to
 * one queue per channel, each drained by its own worker with its own DLQ, so a failing channel never holds
 * up the others. Deferred deliveries (quiet hours) are released by a schedule. The routes read the inbox,
 * preferences and devices, and let admins read every delivery status.
 */
import {
  adminGetNotificationRoute,
  adminListUserNotificationsRoute,
  createCampaignRoute,
  getCampaignRoute,
} from '../../../functions/notifications/admin-contracts';
import {
  deleteDeviceRoute,
  getPreferencesRoute,
  listNotificationsRoute,
  markAllReadRoute,
  markReadRoute,
  putPreferencesRoute,
  registerDeviceRoute,
} from '../../../functions/notifications/contracts';
import { CHANNEL_MAX_RECEIVES, WORKER_TIMEOUT_SECONDS } from '../../../functions/notifications/domain';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef, QueueDef, TableDef } from '../types';

export const CHANNEL_QUEUES = {
  in_app: 'NotificationsInApp',
  push: 'NotificationsPush',
  email: 'NotificationsEmail',
  whatsapp: 'NotificationsWhatsapp',
} as const;

export const notificationTables: TableDef[] = [
  {
    name: 'Notifications',
    description:
      'Every notification with its rendered content and delivery status per channel. byUser: a user’s notifications, newest first (admins); byDue (sparse, only while a delivery is deferred past quiet hours): the release schedule',
    partitionKey: { name: 'notificationId', type: 'S' },
    indexes: [
      {
        name: 'byUser',
        partitionKey: { name: 'userId', type: 'S' },
        sortKey: { name: 'notificationId', type: 'S' },
      },
      {
        name: 'byDue',
        partitionKey: { name: 'dueShard', type: 'S' },
        sortKey: { name: 'dueAtMs', type: 'N' },
      },
    ],
  },
  {
    name: 'NotificationInbox',
    description:
      'The in-app channel: a user’s notifications (sk notificationId, a ULID in event order), expired by TTL after 90 days. unread (sparse): the unread ones',
    partitionKey: { name: 'userId', type: 'S' },
    sortKey: { name: 'notificationId', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      {
        name: 'unread',
        partitionKey: { name: 'unreadBy', type: 'S' },
        sortKey: { name: 'notificationId', type: 'S' },
      },
    ],
  },
  {
    name: 'NotificationSettings',
    description:
      'Notification preferences and push devices per user (pk USER#<id>), and email addresses suppressed after bounces and complaints (pk EMAIL#<address>)',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
  },
  {
    name: 'NotificationCampaigns',
    description: 'Admin campaigns: content, audience, channels, progress counts and the batches counted',
    partitionKey: { name: 'campaignId', type: 'S' },
  },
  {
    name: 'NotificationOutbox',
    description:
      'Push, email and WhatsApp messages of stages that do not send for real (local, dev), for a person to read; kept 30 days',
    partitionKey: { name: 'userId', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
];

const channelQueue = (name: string, what: string): QueueDef => ({
  name,
  description: `${what} deliveries of notifications (one message per notification), drained by its own worker`,
  // Covers the worker's timeout; failed sends back off further by changing the message's visibility.
  visibilityTimeoutSeconds: WORKER_TIMEOUT_SECONDS * 2,
  maxReceiveCount: CHANNEL_MAX_RECEIVES,
});

/** SES bounce and complaint events of the configuration set (SNS raw delivery), in deployed stages that send. */
export const EMAIL_FEEDBACK_QUEUE = 'NotificationEmailFeedback';

/** Batches of a campaign (up to 100 users, or one page of everyone each). */
export const CAMPAIGN_BATCHES_QUEUE = 'NotificationCampaignBatches';

export const notificationQueues: QueueDef[] = [
  {
    name: CAMPAIGN_BATCHES_QUEUE,
    description: 'Batches of admin campaigns, each turned into promotional notification requests',
  },
  {
    name: EMAIL_FEEDBACK_QUEUE,
    description:
      'SES bounce and complaint events of the email configuration set (through SNS): permanent bounces and complaints suppress the address',
  },
  channelQueue(CHANNEL_QUEUES.in_app, 'In-app'),
  channelQueue(CHANNEL_QUEUES.push, 'Push'),
  channelQueue(CHANNEL_QUEUES.email, 'Email'),
  channelQueue(CHANNEL_QUEUES.whatsapp, 'WhatsApp'),
];

const ALL_CHANNEL_QUEUES = {
  [CHANNEL_QUEUES.in_app]: 'send',
  [CHANNEL_QUEUES.push]: 'send',
  [CHANNEL_QUEUES.email]: 'send',
  [CHANNEL_QUEUES.whatsapp]: 'send',
} as const;

const httpFunctions = defineHttpFunctions('notifications', [
  {
    name: 'ListNotifications',
    handler: 'list-notifications',
    route: listNotificationsRoute,
    description: "Everyone: the caller's in-app notifications with the unread count",
    tables: { NotificationInbox: 'read' },
  },
  {
    name: 'MarkNotificationRead',
    handler: 'mark-read',
    route: markReadRoute,
    description: 'Everyone: marks one in-app notification read',
    tables: { NotificationInbox: 'readWrite' },
  },
  {
    name: 'MarkAllNotificationsRead',
    handler: 'mark-all-read',
    route: markAllReadRoute,
    description: "Everyone: marks all the caller's in-app notifications read",
    tables: { NotificationInbox: 'readWrite' },
  },
  {
    name: 'GetNotificationPreferences',
    handler: 'get-preferences',
    route: getPreferencesRoute,
    description: "Everyone: the caller's notification preferences",
    tables: { NotificationSettings: 'read', Users: 'read' },
  },
  {
    name: 'PutNotificationPreferences',
    handler: 'put-preferences',
    route: putPreferencesRoute,
    description: "Everyone: replaces the caller's notification preferences",
    tables: { NotificationSettings: 'readWrite', Users: 'read' },
  },
  {
    name: 'RegisterDevice',
    handler: 'register-device',
    route: registerDeviceRoute,
    description: 'Everyone: registers a device for push (an SNS platform endpoint)',
    tables: { NotificationSettings: 'readWrite' },
    settings: ['notificationDelivery'],
    notificationChannels: ['push'],
  },
  {
    name: 'DeleteDevice',
    handler: 'delete-device',
    route: deleteDeviceRoute,
    description: 'Everyone: removes a push device and its endpoint',
    tables: { NotificationSettings: 'readWrite' },
    settings: ['notificationDelivery'],
    notificationChannels: ['push'],
  },
  {
    name: 'AdminGetNotification',
    handler: 'admin-get-notification',
    route: adminGetNotificationRoute,
    description: 'Admin: one notification with its delivery status per channel',
    tables: { Notifications: 'read' },
  },
  {
    name: 'AdminListUserNotifications',
    handler: 'admin-list-user-notifications',
    route: adminListUserNotificationsRoute,
    description: "Admin: a user's notifications with their delivery status",
    tables: { Notifications: 'read' },
  },
  {
    name: 'CreateCampaign',
    handler: 'create-campaign',
    route: createCampaignRoute,
    description: 'Admin: a promotional campaign to a segment, sent in batches',
    tables: { NotificationCampaigns: 'readWrite' },
    queues: { [CAMPAIGN_BATCHES_QUEUE]: 'send' },
  },
  {
    name: 'GetCampaign',
    handler: 'get-campaign',
    route: getCampaignRoute,
    description: 'Admin: a campaign with its progress and counts',
    tables: { NotificationCampaigns: 'read' },
  },
]);

const worker = (
  name: string,
  handler: string,
  queue: string,
  description: string,
  extra: Partial<FunctionDef> = {},
): FunctionDef => ({
  name,
  service: 'notifications',
  entry: `functions/notifications/handlers/${handler}.ts`,
  description,
  trigger: { kind: 'queue', queue, batchSize: 10 },
  tables: { Notifications: 'readWrite', NotificationCampaigns: 'write' },
  timeoutSeconds: WORKER_TIMEOUT_SECONDS,
  ...extra,
});

export const notificationsFunctions: FunctionDef[] = [
  ...httpFunctions,
  {
    name: 'NotifyOrderEvents',
    service: 'notifications',
    entry: 'functions/notifications/handlers/consume-order-events.ts',
    description:
      'OrderEvents to notification requests for the customer (confirmed, packed, out for delivery, delivered, cancelled)',
    trigger: { kind: 'queue', queue: 'OrderEvents', batchSize: 10 },
    queues: { NotificationRequests: 'send' },
    timeoutSeconds: 30,
  },
  {
    name: 'DispatchNotifications',
    service: 'notifications',
    entry: 'functions/notifications/handlers/dispatch.ts',
    description:
      'NotificationRequests to a rendered notification, preferences and quiet hours applied, one message per channel queue',
    trigger: { kind: 'queue', queue: 'NotificationRequests', batchSize: 10 },
    tables: { Notifications: 'readWrite', NotificationSettings: 'read', Users: 'read' },
    queues: ALL_CHANNEL_QUEUES,
    timeoutSeconds: 30,
  },
  worker('DeliverInApp', 'deliver-in-app', CHANNEL_QUEUES.in_app, 'In-app channel: writes the inbox item', {
    tables: {
      Notifications: 'readWrite',
      NotificationCampaigns: 'write',
      NotificationInbox: 'write',
      NotificationSettings: 'read',
      Users: 'read',
    },
  }),
  worker(
    'DeliverPush',
    'deliver-push',
    CHANNEL_QUEUES.push,
    'Push channel: SNS mobile push to every device',
    {
      tables: {
        Notifications: 'readWrite',
        NotificationCampaigns: 'write',
        NotificationSettings: 'readWrite',
        NotificationOutbox: 'readWrite',
        Users: 'read',
      },
      settings: ['notificationDelivery', 'notificationFailChannels'],
      notificationChannels: ['push'],
    },
  ),
  worker(
    'DeliverEmail',
    'deliver-email',
    CHANNEL_QUEUES.email,
    'Email channel: SES v2 with the configuration set',
    {
      tables: {
        Notifications: 'readWrite',
        NotificationCampaigns: 'write',
        NotificationSettings: 'read',
        NotificationOutbox: 'readWrite',
        Users: 'read',
      },
      settings: ['notificationDelivery', 'notificationFailChannels', 'emailFromAddress'],
      notificationChannels: ['email'],
    },
  ),
  worker(
    'DeliverWhatsapp',
    'deliver-whatsapp',
    CHANNEL_QUEUES.whatsapp,
    'WhatsApp channel: End User Messaging Social with approved templates',
    {
      tables: {
        Notifications: 'readWrite',
        NotificationCampaigns: 'write',
        NotificationSettings: 'read',
        NotificationOutbox: 'readWrite',
        Users: 'read',
      },
      settings: [
        'notificationDelivery',
        'notificationFailChannels',
        'whatsappPhoneNumberId',
        'whatsappMetaApiVersion',
      ],
      notificationChannels: ['whatsapp'],
    },
  ),
  {
    name: 'SendCampaignBatch',
    service: 'notifications',
    entry: 'functions/notifications/handlers/send-campaign-batch.ts',
    description: "A campaign's batch: promotional requests for its users (everyone: one page, then the next)",
    trigger: { kind: 'queue', queue: CAMPAIGN_BATCHES_QUEUE, batchSize: 1 },
    tables: { NotificationCampaigns: 'readWrite', Users: 'read' },
    queues: { NotificationRequests: 'send', [CAMPAIGN_BATCHES_QUEUE]: 'send' },
    timeoutSeconds: 30,
  },
  {
    name: 'RecordEmailFeedback',
    service: 'notifications',
    entry: 'functions/notifications/handlers/email-feedback.ts',
    description: 'SES bounces and complaints: the address is suppressed for email',
    trigger: { kind: 'queue', queue: EMAIL_FEEDBACK_QUEUE, batchSize: 10 },
    tables: { NotificationSettings: 'write' },
    timeoutSeconds: 30,
  },
  {
    name: 'ReleaseDeferredNotifications',
    service: 'notifications',
    entry: 'functions/notifications/handlers/release-deferred.ts',
    description: 'Every minute: sends deliveries deferred past quiet hours once they are due',
    trigger: {
      kind: 'schedule',
      expression: 'rate(1 minute)',
      description: 'Releases notifications deferred past quiet hours',
    },
    tables: { Notifications: 'readWrite' },
    queues: ALL_CHANNEL_QUEUES,
    timeoutSeconds: 60,
  },
];
