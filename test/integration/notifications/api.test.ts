/**
 * The notifications routes on DynamoDB Local, through their handlers as the gateway invokes them: the inbox
 * (pages, unread count, read, read-all, scoped cursors), preferences (defaults, validation), devices, and
 * the admins' delivery status.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { DynamoInbox } from '../../../functions/notifications/adapters/dynamodb-inbox';
import { notificationIdFor } from '../../../functions/notifications/domain';
import { handler as adminGet } from '../../../functions/notifications/handlers/admin-get-notification';
import { handler as adminList } from '../../../functions/notifications/handlers/admin-list-user-notifications';
import { handler as deleteDevice } from '../../../functions/notifications/handlers/delete-device';
import { handler as getPreferences } from '../../../functions/notifications/handlers/get-preferences';
import { handler as list } from '../../../functions/notifications/handlers/list-notifications';
import { handler as markAllRead } from '../../../functions/notifications/handlers/mark-all-read';
import { handler as markRead } from '../../../functions/notifications/handlers/mark-read';
import { handler as putPreferences } from '../../../functions/notifications/handlers/put-preferences';
import { handler as registerDevice } from '../../../functions/notifications/handlers/register-device';
import { dispatch } from '../../../functions/notifications/use-cases/dispatch';
import { dispatchDeps } from '../../../functions/notifications/wiring';
import type { Role } from '../../../functions/shared/http/route';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
const inbox = new DynamoInbox(documents, resources.tableNames.NotificationInbox!);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const user = (...roles: Role[]) => ({ userId: randomUUID(), roles });
const admin = user('admin');

async function seedInbox(userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(Date.UTC(2026, 11, 1, 10, i)).toISOString();
    const notificationId = notificationIdFor(`seed:${userId}:${i}`, createdAt);
    ids.push(notificationId);
    await inbox.put({
      notificationId,
      userId,
      eventType: 'order.delivered',
      title: `T${i}`,
      body: 'b',
      data: {},
      createdAt,
      readAt: null,
    });
  }
  return ids;
}

describe('the inbox', () => {
  it('lists newest first with the unread count and a cursor, and marks one and then all read', async () => {
    const me = user('customer');
    const ids = await seedInbox(me.userId, 5);
    const first = await invoke(list, { path: '/v1/notifications', query: { limit: '2' }, as: me });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { notificationId: string }) => i.notificationId)).toEqual([
      ids[4],
      ids[3],
    ]);
    expect(first.body.unreadCount).toBe(5);
    const second = await invoke(list, {
      path: '/v1/notifications',
      query: { limit: '2', cursor: first.body.nextCursor },
      as: me,
    });
    expect(second.body.items.map((i: { notificationId: string }) => i.notificationId)).toEqual([
      ids[2],
      ids[1],
    ]);

    const read = await invoke(markRead, {
      method: 'POST',
      path: `/v1/notifications/${ids[4]}/read`,
      pathParameters: { notificationId: ids[4]! },
      as: me,
    });
    expect(read.status).toBe(204);
    const unread = await invoke(list, { path: '/v1/notifications', query: { unread: 'true' }, as: me });
    expect(unread.body.unreadCount).toBe(4);
    expect(unread.body.items).toHaveLength(4);
    expect(unread.body.items.every((i: { readAt: unknown }) => i.readAt === null)).toBe(true);

    const all = await invoke(markAllRead, { method: 'POST', path: '/v1/notifications/read-all', as: me });
    expect(all.body).toEqual({ marked: 4 });
    const after = await invoke(list, { path: '/v1/notifications', as: me });
    expect(after.body.unreadCount).toBe(0);
    expect(after.body.items.every((i: { readAt: unknown }) => typeof i.readAt === 'string')).toBe(true);
  });

  it("never shows or marks another user's notifications, nor pages them with a borrowed cursor", async () => {
    const owner = user('customer');
    const other = user('customer');
    const [id] = await seedInbox(owner.userId, 3);
    const page = await invoke(list, { path: '/v1/notifications', query: { limit: '1' }, as: owner });
    const borrowed = await invoke(list, {
      path: '/v1/notifications',
      query: { cursor: page.body.nextCursor },
      as: other,
    });
    expect(borrowed.status).toBe(400);
    const mark = await invoke(markRead, {
      method: 'POST',
      path: `/v1/notifications/${id}/read`,
      pathParameters: { notificationId: id! },
      as: other,
    });
    expect(mark.status).toBe(404);
    expect((await invoke(list, { path: '/v1/notifications', as: owner })).body.unreadCount).toBe(3);
  });

  it('refuses bad input with a 400 problem', async () => {
    const me = user('customer');
    const bad = await invoke(list, {
      path: '/v1/notifications',
      query: { unread: 'yes', limit: '500' },
      as: me,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const notUlid = await invoke(markRead, {
      method: 'POST',
      path: '/v1/notifications/x/read',
      pathParameters: { notificationId: 'x' },
      as: me,
    });
    expect(notUlid.status).toBe(400);
  });
});

describe('preferences', () => {
  const path = '/v1/me/notification-preferences';

  it('default to every channel in the profile locale, and store what is put', async () => {
    const me = user('customer');
    await documents.send(
      new PutCommand({
        TableName: resources.tableNames.Users!,
        Item: { userId: me.userId, locale: 'hi', email: 'x@example.com' },
      }),
    );
    const defaults = await invoke(getPreferences, { path, as: me });
    expect(defaults.body).toEqual({
      channels: { push: true, email: true, whatsapp: true },
      promotional: true,
      quietHours: null,
      locale: 'hi',
    });
    const next = {
      channels: { push: false, email: true, whatsapp: true },
      promotional: false,
      quietHours: { start: '22:00', end: '08:00', timeZone: 'Asia/Kolkata' },
      locale: 'en',
    };
    expect((await invoke(putPreferences, { method: 'PUT', path, body: next, as: me })).body).toEqual(next);
    expect((await invoke(getPreferences, { path, as: me })).body).toEqual(next);
  });

  it('refuse a bad time, time zone, locale or an in-app switch with field errors, changing nothing', async () => {
    const me = user('customer');
    const bad = await invoke(putPreferences, {
      method: 'PUT',
      path,
      body: {
        channels: { push: true, email: true, whatsapp: true, in_app: false },
        promotional: true,
        quietHours: { start: '25:00', end: '08:00', timeZone: 'Mars/Olympus' },
        locale: 'fr',
      },
      as: me,
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(
      expect.arrayContaining(['channels.in_app', 'locale', 'quietHours.start', 'quietHours.timeZone']),
    );
    expect((await invoke(getPreferences, { path, as: me })).body.promotional).toBe(true);
  });
});

describe('devices', () => {
  it('register once per token (again: the same device, 200) and are removed', async () => {
    const me = user('customer');
    const body = { platform: 'android', token: 'fcm-token-0123456789' };
    const created = await invoke(registerDevice, { method: 'POST', path: '/v1/me/devices', body, as: me });
    expect(created.status).toBe(201);
    const again = await invoke(registerDevice, { method: 'POST', path: '/v1/me/devices', body, as: me });
    expect(again.status).toBe(200);
    expect(again.body.deviceId).toBe(created.body.deviceId);
    const removed = await invoke(deleteDevice, {
      method: 'DELETE',
      path: `/v1/me/devices/${created.body.deviceId}`,
      pathParameters: { deviceId: created.body.deviceId },
      as: me,
    });
    expect(removed.status).toBe(204);
    const gone = await invoke(deleteDevice, {
      method: 'DELETE',
      path: `/v1/me/devices/${created.body.deviceId}`,
      pathParameters: { deviceId: created.body.deviceId },
      as: me,
    });
    expect(gone.status).toBe(404);
    const bad = await invoke(registerDevice, {
      method: 'POST',
      path: '/v1/me/devices',
      body: { platform: 'windows', token: 'x' },
      as: me,
    });
    expect(bad.status).toBe(400);
  });
});

describe('admin delivery status', () => {
  it('shows a notification with its status and reason per channel, and a user’s notifications, to admins only', async () => {
    const target = user('customer');
    const request = {
      eventType: 'order.packed',
      userId: target.userId,
      data: { orderId: '01JABCDEFGHJKMNPQRSTVWXYZ9' },
      idempotencyKey: `admin-test:${target.userId}`,
      priority: 'transactional' as const,
      occurredAt: new Date().toISOString(),
    };
    const { notificationId } = await dispatch(
      { ...dispatchDeps(), queues: { send: async () => undefined } },
      request,
    );
    const path = `/v1/admin/notifications/${notificationId}`;
    const got = await invoke(adminGet, { path, pathParameters: { notificationId }, as: admin });
    expect(got.status).toBe(200);
    expect(got.body.deliveries).toMatchObject({
      in_app: { status: 'QUEUED' },
      push: { status: 'SUPPRESSED', reason: 'No registered device' },
    });
    expect(got.body.title).toBe('Order packed');
    const listed = await invoke(adminList, {
      path: `/v1/admin/users/${target.userId}/notifications`,
      pathParameters: { userId: target.userId },
      as: admin,
    });
    expect(listed.body.items.map((n: { notificationId: string }) => n.notificationId)).toEqual([
      notificationId,
    ]);
    const asCustomer = await invoke(adminGet, { path, pathParameters: { notificationId }, as: target });
    expect(asCustomer.status).toBe(403);
    const missing = await invoke(adminGet, {
      path: '/v1/admin/notifications/01JAAAAAAAAAAAAAAAAAAAAAAA',
      pathParameters: { notificationId: '01JAAAAAAAAAAAAAAAAAAAAAAA' },
      as: admin,
    });
    expect(missing.status).toBe(404);
  });
});

describe('campaigns', () => {
  it('are sent in batches of promotional requests, counted once per batch, with their progress', async () => {
    const { DynamoCampaignStore } =
      await import('../../../functions/notifications/adapters/dynamodb-campaigns');
    const { createCampaign, getCampaign, sendCampaignBatch } =
      await import('../../../functions/notifications/use-cases/campaigns');
    const { ulid } = await import('ulid');
    const batches: Parameters<typeof sendCampaignBatch>[1][] = [];
    const requests: { userId: string; idempotencyKey: string; priority: string }[] = [];
    const deps = {
      campaigns: new DynamoCampaignStore(documents, resources.tableNames.NotificationCampaigns!),
      batches: { send: async (b: readonly (typeof batches)[number][]) => void batches.push(...b) },
      requests: { send: async (r: readonly (typeof requests)[number][]) => void requests.push(...r) },
      users: { page: async () => ({ userIds: [] }) },
      now: () => new Date(),
      newId: () => ulid(),
    };
    const userIds = Array.from({ length: 250 }, () => randomUUID());
    const campaign = await createCampaign(deps, admin.userId, {
      title: 'Diwali sale',
      body: 'Sweets at 20% off',
      audience: { userIds },
      channels: ['in_app', 'push'],
    });
    expect(batches.map((b) => ('userIds' in b ? b.userIds.length : 0))).toEqual([100, 100, 50]);
    expect((await getCampaign(deps, campaign.campaignId)).status).toBe('SENDING');
    for (const batch of batches) await sendCampaignBatch(deps, batch);
    // A batch delivered again sends requests with the same keys (the dispatcher dedupes) and is not counted.
    await sendCampaignBatch(deps, batches[0]!);
    const after = await getCampaign(deps, campaign.campaignId);
    expect(after).toMatchObject({ status: 'DONE', counts: { targeted: 250, requested: 250, batches: 3 } });
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(250);
    expect(requests.every((r) => r.priority === 'promotional')).toBe(true);
  });

  it('to everyone walk the users page by page, one batch enqueuing the next, and are done after the last', async () => {
    const { DynamoCampaignStore, dynamoUserPages } =
      await import('../../../functions/notifications/adapters/dynamodb-campaigns');
    const { createCampaign, getCampaign, sendCampaignBatch } =
      await import('../../../functions/notifications/use-cases/campaigns');
    const { ulid } = await import('ulid');
    // The real reader over the Users table (shared with other tests: its first page is whatever is there).
    const firstPage = await dynamoUserPages(documents, resources.tableNames.Users!).page(undefined, 100);
    expect(Array.isArray(firstPage.userIds)).toBe(true);
    const everyone = Array.from({ length: 150 }, () => randomUUID());
    const batches: Parameters<typeof sendCampaignBatch>[1][] = [];
    let requested = 0;
    const deps = {
      campaigns: new DynamoCampaignStore(documents, resources.tableNames.NotificationCampaigns!),
      batches: { send: async (b: readonly (typeof batches)[number][]) => void batches.push(...b) },
      requests: { send: async (r: readonly unknown[]) => void (requested += r.length) },
      users: {
        page: async (startKey: string | undefined, limit: number) => {
          const from = startKey ? everyone.findIndex((u) => u === startKey) + 1 : 0;
          const userIds = everyone.slice(from, from + limit);
          return from + limit < everyone.length ? { userIds, next: userIds.at(-1)! } : { userIds };
        },
      },
      now: () => new Date(),
      newId: () => ulid(),
    };
    const campaign = await createCampaign(deps, admin.userId, {
      title: 'All',
      body: 'Everyone',
      audience: { all: true },
      channels: ['in_app'],
    });
    for (let i = 0; i < batches.length; i++) {
      expect((await getCampaign(deps, campaign.campaignId)).status).toBe('SENDING');
      await sendCampaignBatch(deps, batches[i]!);
    }
    expect(batches).toHaveLength(2);
    expect(requested).toBe(150);
    expect(await getCampaign(deps, campaign.campaignId)).toMatchObject({
      status: 'DONE',
      counts: { targeted: 150, requested: 150, batches: 2 },
    });
  });

  it('refuse a bad audience with a 400 and are admins only', async () => {
    const { handler: create } = await import('../../../functions/notifications/handlers/create-campaign');
    const path = '/v1/admin/campaigns';
    const bad = await invoke(create, {
      method: 'POST',
      path,
      body: { title: 'x', body: 'y', audience: { userIds: [], all: true }, channels: [] },
      as: admin,
    });
    expect(bad.status).toBe(400);
    const customer = await invoke(create, {
      method: 'POST',
      path,
      body: { title: 'x', body: 'y', audience: { all: true }, channels: ['in_app'] },
      as: user('customer'),
    });
    expect(customer.status).toBe(403);
  });
});
