/**
 * HTTP contracts of the notifications service: the caller's in-app inbox, preferences and push devices,
 * and the admins' view of every notification with its delivery status per channel.
 */
import * as z from 'zod/mini';
import { paginationQuery } from '#shared/http/cursor';
import { defineRoute, ROLES } from '#shared/http/route';
import {
  DELIVERY_STATUSES,
  isTimeOfDay,
  isTimeZone,
  LOCALES,
  NOTIFICATION_CHANNELS,
  ULID_PATTERN,
} from './domain';

const ulidSchema = z
  .string()
  .check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const EVERYONE = { roles: ROLES };
const ADMIN = { roles: ['admin'] as const };
const TAGS = ['Notifications'];

export const inboxItemSchema = z.object({
  notificationId: z.string(),
  eventType: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.nullable(z.string()),
});

const deliverySchema = z.object({
  status: z.enum(DELIVERY_STATUSES),
  reason: z.optional(z.string()),
  updatedAt: z.string(),
  attempts: z.number().check(z.int()),
  dueAt: z.optional(z.string()),
  providerId: z.optional(z.string()),
});

export const notificationSchema = z.object({
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
  deliveries: z.partialRecord(z.enum(NOTIFICATION_CHANNELS), deliverySchema),
  campaignId: z.optional(z.string()),
});

const quietHoursSchema = z.strictObject({
  start: z.string().check(z.refine(isTimeOfDay, 'Expected a time of day, HH:MM (00:00-23:59)')),
  end: z.string().check(z.refine(isTimeOfDay, 'Expected a time of day, HH:MM (00:00-23:59)')),
  timeZone: z
    .string()
    .check(z.maxLength(64), z.refine(isTimeZone, 'Expected an IANA time zone, e.g. Asia/Kolkata')),
});

export const preferencesSchema = z.strictObject({
  channels: z.strictObject({ push: z.boolean(), email: z.boolean(), whatsapp: z.boolean() }),
  promotional: z.boolean(),
  quietHours: z.nullable(quietHoursSchema),
  locale: z.enum(LOCALES),
});

export const deviceSchema = z.object({
  deviceId: z.string(),
  platform: z.enum(['android', 'ios']),
  createdAt: z.string(),
});

const booleanQuery = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v) => v === 'true'),
);

export const listNotificationsRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications',
  summary: "The caller's in-app notifications, newest first (kept 90 days), with the unread count",
  tags: TAGS,
  auth: EVERYONE,
  query: z.strictObject({ ...paginationQuery, unread: z.optional(booleanQuery) }),
  success: {
    status: 200,
    description: 'One page of notifications',
    schema: z.object({
      items: z.array(inboxItemSchema),
      unreadCount: z.number().check(z.int()),
      nextCursor: z.nullable(z.string()),
    }),
  },
});

export const markReadRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/{notificationId}/read',
  summary: 'Marks one of the caller’s notifications read (again: no change)',
  tags: TAGS,
  auth: EVERYONE,
  pathParams: z.strictObject({ notificationId: ulidSchema }),
  success: { status: 204, description: 'Read' },
  errors: [404],
});

export const markAllReadRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/read-all',
  summary: "Marks every unread notification of the caller's read",
  tags: TAGS,
  auth: EVERYONE,
  success: {
    status: 200,
    description: 'How many were marked',
    schema: z.object({ marked: z.number().check(z.int()) }),
  },
});

export const getPreferencesRoute = defineRoute({
  method: 'GET',
  path: '/v1/me/notification-preferences',
  summary: "The caller's notification preferences (defaults until set: every channel, no quiet hours)",
  tags: TAGS,
  auth: EVERYONE,
  success: { status: 200, description: 'The preferences', schema: preferencesSchema },
});

export const putPreferencesRoute = defineRoute({
  method: 'PUT',
  path: '/v1/me/notification-preferences',
  summary:
    'Replaces the preferences: channel switches (in-app cannot be turned off), promotional opt-out, quiet hours for promotional messages, locale',
  tags: TAGS,
  auth: EVERYONE,
  body: preferencesSchema,
  success: { status: 200, description: 'The preferences as stored', schema: preferencesSchema },
});

export const registerDeviceRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/devices',
  summary: 'Registers a device for push (201; the same token again answers its device with 200)',
  tags: TAGS,
  auth: EVERYONE,
  body: z.strictObject({
    platform: z.enum(['android', 'ios']),
    token: z.string().check(z.regex(/^[\x21-\x7e]{8,4096}$/, 'Expected the push token the platform issued')),
  }),
  success: { status: 201, description: 'The device', schema: deviceSchema },
  errors: [409],
});

export const deleteDeviceRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/me/devices/{deviceId}',
  summary: "Removes one of the caller's devices (and its push endpoint)",
  tags: TAGS,
  auth: EVERYONE,
  pathParams: z.strictObject({ deviceId: ulidSchema }),
  success: { status: 204, description: 'Removed' },
  errors: [404],
});

export const adminGetNotificationRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/notifications/{notificationId}',
  summary: 'Admin: one notification with its delivery status per channel and the reasons',
  tags: TAGS,
  auth: ADMIN,
  pathParams: z.strictObject({ notificationId: ulidSchema }),
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
  pathParams: z.strictObject({ userId: z.guid('A user id (UUID)') }),
  query: z.strictObject(paginationQuery),
  success: {
    status: 200,
    description: 'One page of notifications',
    schema: z.object({ items: z.array(notificationSchema), nextCursor: z.nullable(z.string()) }),
  },
});

const campaignChannels = z.array(z.enum(NOTIFICATION_CHANNELS)).check(z.minLength(1), z.maxLength(4));
const campaignText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((v) => !/[\p{Cc}\p{Cs}]/u.test(v.replace(/\n/g, '')), 'Control characters are not allowed'),
  );

export const campaignSchema = z.object({
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
  body: z.strictObject({
    title: campaignText(80),
    body: campaignText(500),
    audience: z.union([
      z.strictObject({
        userIds: z.array(z.guid('A user id (UUID)')).check(z.minLength(1), z.maxLength(10_000)),
      }),
      z.strictObject({ all: z.literal(true) }),
    ]),
    channels: campaignChannels,
  }),
  success: { status: 202, description: 'The campaign, sending', schema: campaignSchema },
});

export const getCampaignRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/campaigns/{campaignId}',
  summary: 'Admin: a campaign with its progress and counts',
  tags: TAGS,
  auth: ADMIN,
  pathParams: z.strictObject({ campaignId: ulidSchema }),
  success: { status: 200, description: 'The campaign', schema: campaignSchema },
  errors: [404],
});
