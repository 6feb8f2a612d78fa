/**
 * Wires the notifications service to AWS, one factory per kind of function so that each bundles only what
 * it touches (the channel workers import their own adapter: handlers/deliver-*.ts).
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { logger, metrics } from '#shared/powertools';
import { readUserContact } from '#shared/published/user-contact';
import { DynamoInbox } from './adapters/dynamodb-inbox';
import { DynamoNotificationStore } from './adapters/dynamodb-notifications';
import { DynamoSettings } from './adapters/dynamodb-settings';
import { CHANNEL_MAX_RECEIVES, type NotificationChannel } from './domain';
import type {
  ChannelAdapter,
  ContactReader,
  DeliverDeps,
  DispatchDeps,
  InboxDeps,
  PreferencesDeps,
  PushRegistry,
  DeviceDeps,
} from './ports';
import { sqsBackoff, sqsChannelQueues } from './adapters/sqs';
import type { ReleaseDeps } from './use-cases/release';
import type { CampaignDeps } from './use-cases/campaigns';
import { DynamoCampaignStore, dynamoUserPages } from './adapters/dynamodb-campaigns';
import { requestNotifications } from '#shared/published/notification-request';
import { sendMessages } from '#shared/queue/send';

export const name = z.string().check(z.minLength(1));

/** How channels are delivered in this stage: `outbox` (local, dev) or `providers` (SNS, SES, WhatsApp). */
export const deliveryMode = (env: NodeJS.ProcessEnv = process.env) =>
  parseEnv({ NOTIFICATION_DELIVERY: z.enum(['outbox', 'providers']) }, env).NOTIFICATION_DELIVERY;

const notificationStore = (env: NodeJS.ProcessEnv) =>
  new DynamoNotificationStore(
    documentClient,
    parseEnv({ NOTIFICATIONS_TABLE_NAME: name }, env).NOTIFICATIONS_TABLE_NAME,
  );
const settings = (env: NodeJS.ProcessEnv) =>
  new DynamoSettings(
    documentClient,
    parseEnv({ NOTIFICATION_SETTINGS_TABLE_NAME: name }, env).NOTIFICATION_SETTINGS_TABLE_NAME,
  );
const contacts = (env: NodeJS.ProcessEnv): ContactReader => {
  const { USERS_TABLE_NAME } = parseEnv({ USERS_TABLE_NAME: name }, env);
  return { get: (userId) => readUserContact(documentClient, USERS_TABLE_NAME, userId) };
};
export const inbox = (env: NodeJS.ProcessEnv = process.env) =>
  new DynamoInbox(
    documentClient,
    parseEnv({ NOTIFICATION_INBOX_TABLE_NAME: name }, env).NOTIFICATION_INBOX_TABLE_NAME,
  );

const channelQueues = (env: NodeJS.ProcessEnv) => {
  const vars = parseEnv(
    {
      NOTIFICATIONS_IN_APP_QUEUE_URL: name,
      NOTIFICATIONS_PUSH_QUEUE_URL: name,
      NOTIFICATIONS_EMAIL_QUEUE_URL: name,
      NOTIFICATIONS_WHATSAPP_QUEUE_URL: name,
    },
    env,
  );
  return sqsChannelQueues({
    in_app: vars.NOTIFICATIONS_IN_APP_QUEUE_URL,
    push: vars.NOTIFICATIONS_PUSH_QUEUE_URL,
    email: vars.NOTIFICATIONS_EMAIL_QUEUE_URL,
    whatsapp: vars.NOTIFICATIONS_WHATSAPP_QUEUE_URL,
  });
};

const now = () => new Date();

export function dispatchDeps(env: NodeJS.ProcessEnv = process.env): DispatchDeps {
  const s = settings(env);
  return {
    notifications: notificationStore(env),
    settings: s,
    suppressions: s,
    contacts: contacts(env),
    queues: channelQueues(env),
    logger,
    now,
  };
}

export function releaseDeps(env: NodeJS.ProcessEnv = process.env): ReleaseDeps {
  return { notifications: notificationStore(env), queues: channelQueues(env), logger, now };
}

/** A channel worker: its adapter, and the claim lease of its timeout. */
export function deliverDeps(
  adapter: ChannelAdapter,
  timeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): DeliverDeps {
  const s = settings(env);
  const { NOTIFICATIONS_TABLE_NAME, NOTIFICATION_CAMPAIGNS_TABLE_NAME } = parseEnv(
    { NOTIFICATIONS_TABLE_NAME: name, NOTIFICATION_CAMPAIGNS_TABLE_NAME: name },
    env,
  );
  return {
    // Campaign sends are counted in the campaign as they are settled.
    notifications: new DynamoNotificationStore(
      documentClient,
      NOTIFICATIONS_TABLE_NAME,
      NOTIFICATION_CAMPAIGNS_TABLE_NAME,
    ),
    adapter,
    contacts: contacts(env),
    devices: s,
    backoff: sqsBackoff(logger),
    logger,
    metrics: {
      count: (metric, value = 1) => {
        metrics.addMetric(metric, 'Count', value);
      },
    },
    now,
    // A claim outlives the longest run of the worker.
    leaseMs: timeoutSeconds * 1000 + 5_000,
    maxReceives: CHANNEL_MAX_RECEIVES,
  };
}

/** ZEPTO_FAIL_CHANNELS as the local platform passes it (always empty in a deployed stage). */
export function failChannels(env: NodeJS.ProcessEnv = process.env): NotificationChannel[] {
  const { NOTIFICATION_FAIL_CHANNELS = '' } = parseEnv(
    { NOTIFICATION_FAIL_CHANNELS: z.optional(z.string()) },
    env,
  );
  return NOTIFICATION_FAIL_CHANNELS.split(',')
    .map((c) => c.trim())
    .filter((c): c is NotificationChannel => ['push', 'email', 'whatsapp'].includes(c));
}

export const outboxTable = (env: NodeJS.ProcessEnv = process.env) =>
  parseEnv({ NOTIFICATION_OUTBOX_TABLE_NAME: name }, env).NOTIFICATION_OUTBOX_TABLE_NAME;

export const inboxDeps = (env: NodeJS.ProcessEnv = process.env): InboxDeps => ({ inbox: inbox(env), now });

export const preferencesDeps = (env: NodeJS.ProcessEnv = process.env): PreferencesDeps => ({
  preferences: settings(env),
  contacts: contacts(env),
});

export const deviceDeps = (push: PushRegistry, env: NodeJS.ProcessEnv = process.env): DeviceDeps => ({
  devices: settings(env),
  push,
  now,
  newId: () => ulid(),
});

export const adminDeps = (env: NodeJS.ProcessEnv = process.env) => ({
  notifications: notificationStore(env),
});

export { documentClient };

/** Campaigns: their table, the batch queue, the requests queue and (for everyone) the Users table. */
export function campaignDeps(env: NodeJS.ProcessEnv = process.env): CampaignDeps {
  const vars = parseEnv(
    {
      NOTIFICATION_CAMPAIGNS_TABLE_NAME: name,
      NOTIFICATION_CAMPAIGN_BATCHES_QUEUE_URL: name,
      NOTIFICATION_REQUESTS_QUEUE_URL: z.optional(z.string()),
      USERS_TABLE_NAME: z.optional(z.string()),
    },
    env,
  );
  return {
    campaigns: new DynamoCampaignStore(documentClient, vars.NOTIFICATION_CAMPAIGNS_TABLE_NAME),
    batches: {
      send: (batches) =>
        sendMessages(
          vars.NOTIFICATION_CAMPAIGN_BATCHES_QUEUE_URL,
          batches.map((body) => ({ body })),
        ),
    },
    requests: {
      send: (requests) => {
        if (!vars.NOTIFICATION_REQUESTS_QUEUE_URL) throw new Error('This function does not send requests');
        return requestNotifications(vars.NOTIFICATION_REQUESTS_QUEUE_URL, requests);
      },
    },
    users: dynamoUserPages(documentClient, vars.USERS_TABLE_NAME ?? ''),
    now,
    newId: () => ulid(),
  };
}
