/**
 * HTTP contracts of the notifications service: the caller's in-app inbox, preferences and push devices.
 * The admin routes (every notification with its delivery status per channel, campaigns) are in
 * admin-contracts.ts, so the inbox functions do not build their schemas at init
 * (docs/decisions/0010-lean-functions.md).
 */
import * as z from 'zod/mini';
import { paginationQuery } from '#shared/http/cursor';
import { defineRoute, ROLES } from '#shared/http/route';
import { isTimeOfDay, isTimeZone, LOCALES, ULID_PATTERN } from './domain';

export const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const EVERYONE = { roles: ROLES };
export const TAGS = ['Notifications'];

export const inboxItemSchema = () =>
  z.object({
    notificationId: z.string(),
    eventType: z.string(),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    readAt: z.nullable(z.string()),
  });

const quietHoursSchema = () =>
  z.strictObject({
    start: z.string().check(z.refine(isTimeOfDay, 'Expected a time of day, HH:MM (00:00-23:59)')),
    end: z.string().check(z.refine(isTimeOfDay, 'Expected a time of day, HH:MM (00:00-23:59)')),
    timeZone: z
      .string()
      .check(z.maxLength(64), z.refine(isTimeZone, 'Expected an IANA time zone, e.g. Asia/Kolkata')),
  });

export const preferencesSchema = () =>
  z.strictObject({
    channels: z.strictObject({ push: z.boolean(), email: z.boolean(), whatsapp: z.boolean() }),
    promotional: z.boolean(),
    quietHours: z.nullable(quietHoursSchema()),
    locale: z.enum(LOCALES),
  });

export const deviceSchema = () =>
  z.object({
    deviceId: z.string(),
    platform: z.enum(['android', 'ios']),
    createdAt: z.string(),
  });

const booleanQuery = () =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((v) => v === 'true'),
  );

export const listNotificationsRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications',
  summary: "The caller's in-app notifications, newest first (kept 90 days), with the unread count",
  tags: TAGS,
  auth: EVERYONE,
  request: () => ({ query: z.strictObject({ ...paginationQuery(), unread: z.optional(booleanQuery()) }) }),
  success: {
    status: 200,
    description: 'One page of notifications',
    schema: () =>
      z.object({
        items: z.array(inboxItemSchema()),
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
  request: () => ({ pathParams: z.strictObject({ notificationId: ulidSchema() }) }),
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
    schema: () => z.object({ marked: z.number().check(z.int()) }),
  },
});

export const getPreferencesRoute = defineRoute({
  method: 'GET',
  path: '/v1/me/notification-preferences',
  summary: "The caller's notification preferences (defaults until set: every channel, no quiet hours)",
  tags: TAGS,
  auth: EVERYONE,
  success: { status: 200, description: 'The preferences', schema: () => preferencesSchema() },
});

export const putPreferencesRoute = defineRoute({
  method: 'PUT',
  path: '/v1/me/notification-preferences',
  summary:
    'Replaces the preferences: channel switches (in-app cannot be turned off), promotional opt-out, quiet hours for promotional messages, locale',
  tags: TAGS,
  auth: EVERYONE,
  request: () => ({ body: preferencesSchema() }),
  success: { status: 200, description: 'The preferences as stored', schema: () => preferencesSchema() },
});

export const registerDeviceRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/devices',
  summary: 'Registers a device for push (201; the same token again answers its device with 200)',
  tags: TAGS,
  auth: EVERYONE,
  request: () => ({
    body: z.strictObject({
      platform: z.enum(['android', 'ios']),
      token: z
        .string()
        .check(z.regex(/^[\x21-\x7e]{8,4096}$/, 'Expected the push token the platform issued')),
    }),
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
  request: () => ({ pathParams: z.strictObject({ deviceId: ulidSchema() }) }),
  success: { status: 204, description: 'Removed' },
  errors: [404],
});
