/**
 * HTTP contracts of the notifications service's admin routes: every notification with its delivery status
 * per channel, a user's notifications, and promotional campaigns.
 */
import * as z from 'zod/mini';
import { paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { TAGS, ulidSchema } from './contracts';
import { DELIVERY_STATUSES, LOCALES, NOTIFICATION_CHANNELS } from './domain';

const ADMIN = { roles: ['admin'] as const };

const deliverySchema = () =>
  z.object({
    status: z.enum(DELIVERY_STATUSES),
    reason: z.optional(z.string()),
    updatedAt: z.string(),
    attempts: z.number().check(z.int()),
    dueAt: z.optional(z.string()),
    providerId: z.optional(z.string()),
  });

export const notificationSchema = () =>
  z.object({
    notificationId: z.string(),
    userId: z.string(),
    eventType: z.string(),
    priority: z.enum(['transactional', 'promotional']),
    idempotencyKey: z.string(),
    locale: z.enum(LOCALES),
    title: z.string(),
    body: z.string(),
    occurredAt: z.string(),
    createdAt: z.string(),
    deliveries: z.partialRecord(z.enum(NOTIFICATION_CHANNELS), deliverySchema()),
    campaignId: z.optional(z.string()),
  });

export const adminGetNotificationRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/notifications/{notificationId}',
  summary: 'Admin: one notification with its delivery status per channel and the reasons',
  tags: TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: z.strictObject({ notificationId: ulidSchema() }) }),
  success: { status: 200, description: 'The notification', schema: notificationSchema },
  errors: [404],
});

export const adminListUserNotificationsRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/users/{userId}/notifications',
  summary: "Admin: a user's notifications on every channel, newest first, with delivery status",
  tags: TAGS,
  auth: ADMIN,
  // Cognito subs are UUIDs (as the identity admin routes take them).
  request: () => ({
    pathParams: z.strictObject({ userId: z.guid('A user id (UUID)') }),
    query: z.strictObject(paginationQuery()),
  }),
  success: {
    status: 200,
    description: 'One page of notifications',
    schema: () => z.object({ items: z.array(notificationSchema()), nextCursor: z.nullable(z.string()) }),
  },
});

const campaignChannels = () => z.array(z.enum(NOTIFICATION_CHANNELS)).check(z.minLength(1), z.maxLength(4));
const campaignText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((v) => !/[\p{Cc}\p{Cs}]/u.test(v.replace(/\n/g, '')), 'Control characters are not allowed'),
  );

export const campaignSchema = () =>
  z.object({
    campaignId: z.string(),
    title: z.string(),
    body: z.string(),
    audience: z.union([z.object({ userIds: z.array(z.string()) }), z.object({ all: z.literal(true) })]),
    channels: z.array(z.enum(NOTIFICATION_CHANNELS)),
    status: z.enum(['SENDING', 'DONE']),
    counts: z.object({
      targeted: z.number().check(z.int()),
      requested: z.number().check(z.int()),
      batches: z.number().check(z.int()),
    }),
    delivered: z
      .partialRecord(z.enum(NOTIFICATION_CHANNELS), z.number().check(z.int()))
      .check(z.describe("Per campaign channel: the campaign's notifications SENT on it (each counted once)")),
    createdAt: z.string(),
    createdBy: z.string(),
    finishedAt: z.optional(z.string()),
  });

export const createCampaignRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/campaigns',
  summary:
    'Admin: a promotional notification to a list of users or to everyone, sent in batches (their opt-outs and quiet hours apply)',
  tags: TAGS,
  auth: ADMIN,
  request: () => ({
    body: z.strictObject({
      title: campaignText(80),
      body: campaignText(500),
      audience: z.union([
        z.strictObject({
          userIds: z.array(z.guid('A user id (UUID)')).check(z.minLength(1), z.maxLength(10_000)),
        }),
        z.strictObject({ all: z.literal(true) }),
      ]),
      channels: campaignChannels(),
    }),
  }),
  success: { status: 202, description: 'The campaign, sending', schema: campaignSchema },
});

export const getCampaignRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/campaigns/{campaignId}',
  summary: 'Admin: a campaign with its progress and counts',
  tags: TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: z.strictObject({ campaignId: ulidSchema() }) }),
  success: { status: 200, description: 'The campaign', schema: campaignSchema },
  errors: [404],
});
