/**
 * The notification pipeline on the real local engines: requests on a queue, the dispatcher and the four
 * channel workers driven by the local event source mapping (local/queues.ts: partial batch failures,
 * visibility timeouts, redrive to each queue's DLQ), DynamoDB Local for notifications, inbox and outbox.
 *
 * The queues are this file's own (same definitions as the app's, other names): the app's queues also carry
 * other tests' messages. The tables are the app's; every test works with users of its own.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inAppAdapter } from '../../../functions/notifications/adapters/in-app';
import { outboxAdapter, readOutbox } from '../../../functions/notifications/adapters/outbox';
import { DynamoNotificationStore } from '../../../functions/notifications/adapters/dynamodb-notifications';
import { DynamoSettings } from '../../../functions/notifications/adapters/dynamodb-settings';
import { DynamoCampaignStore } from '../../../functions/notifications/adapters/dynamodb-campaigns';
import { dynamoDbProfileRepository } from '../../../functions/identity/adapters/dynamodb-profile-repository';
import { render } from '../../../functions/notifications/templates';
import { CAMPAIGN_EVENT, type CampaignChannel } from '../../../functions/notifications/use-cases/campaigns';
import { ulid } from 'ulid';
import {
  notificationIdFor,
  type NotificationChannel,
  type NotificationRequest,
} from '../../../functions/notifications/domain';
import { channelWorker } from '../../../functions/notifications/handlers/deliver';
import type { ChannelAdapter } from '../../../functions/notifications/ports';
import { dispatch } from '../../../functions/notifications/use-cases/dispatch';
import { deliver } from '../../../functions/notifications/use-cases/deliver';
import { releaseDue } from '../../../functions/notifications/use-cases/release';
import {
  deliverDeps,
  dispatchDeps,
  inbox as inboxOf,
  releaseDeps,
} from '../../../functions/notifications/wiring';
import { notificationRequestSchema } from '../../../functions/shared/published/notification-request';
import { queueHandler } from '../../../functions/shared/queue/consumer';
import { sendMessages } from '../../../functions/shared/queue/send';
import { queueEnvName } from '../../../lib/app/env';
import { CHANNEL_QUEUES, notificationQueues } from '../../../lib/app/services/notifications';
import type { AppDef, FunctionDef } from '../../../lib/app/types';
import { provision } from '../../../local/provision';
import { startQueuePollers, type QueuePollers } from '../../../local/queues';
import { testClients, testResources } from '../../support/engines';
import { lambdaContext } from '../../support/lambda';

jest.setTimeout(120_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
const tables = resources.tableNames;
const store = new DynamoNotificationStore(documents, tables.Notifications!);
const settings = new DynamoSettings(documents, tables.NotificationSettings!);

/** Polls `probe` until it holds (or fails after `timeoutMs`): never a fixed sleep. */
async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

const depth = async (sqs: SQSClient, url: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
};

// --- this file's queues and workers ----------------------------------------------------------------------

const suffix = `T${Date.now().toString(36)}`;
const REQUESTS = `${suffix}Requests`;
const queueNames: Record<NotificationChannel, string> = {
  in_app: `${suffix}${CHANNEL_QUEUES.in_app}`,
  push: `${suffix}${CHANNEL_QUEUES.push}`,
  email: `${suffix}${CHANNEL_QUEUES.email}`,
  whatsapp: `${suffix}${CHANNEL_QUEUES.whatsapp}`,
};
const consumer = (name: string, queue: string): FunctionDef => ({
  name,
  service: 'notifications',
  entry: 'unused.ts',
  description: name,
  trigger: { kind: 'queue', queue, batchSize: 10 },
  timeoutSeconds: 30,
});
const fixture: AppDef = {
  tables: [],
  buckets: [],
  userPool: { groups: [] },
  queues: [
    { name: REQUESTS, description: 'requests' },
    ...notificationQueues.map((q) => ({
      ...q,
      name: `${suffix}${q.name}`,
    })),
  ],
  functions: [
    consumer('Dispatch', REQUESTS),
    ...(Object.entries(queueNames) as [NotificationChannel, string][]).map(([c, q]) =>
      consumer(`Deliver-${c}`, q),
    ),
  ],
};

let queueUrls: Record<string, string>;
let deadLetterUrls: Record<string, string>;
let env: NodeJS.ProcessEnv;
let pollers: QueuePollers;
/** Sends per channel that reached the adapter (successful or not). */
const calls: Record<NotificationChannel, string[]> = { in_app: [], push: [], email: [], whatsapp: [] };

const counted = (adapter: ChannelAdapter): ChannelAdapter => ({
  ...adapter,
  send: async (target) => {
    calls[adapter.channel].push(target.notification.notificationId);
    return adapter.send(target);
  },
});

/** WhatsApp fails every send, as ZEPTO_FAIL_CHANNELS=whatsapp makes the local adapter do. */
const FAILING: readonly NotificationChannel[] = ['whatsapp'];

beforeAll(async () => {
  const local = await provision(fixture, resources.endpoints, { stage: 'local', logLevel: 'ERROR' });
  queueUrls = { ...local.queueUrls };
  deadLetterUrls = { ...local.deadLetterQueueUrls };
  env = {
    ...process.env,
    [queueEnvName(CHANNEL_QUEUES.in_app)]: queueUrls[queueNames.in_app],
    [queueEnvName(CHANNEL_QUEUES.push)]: queueUrls[queueNames.push],
    [queueEnvName(CHANNEL_QUEUES.email)]: queueUrls[queueNames.email],
    [queueEnvName(CHANNEL_QUEUES.whatsapp)]: queueUrls[queueNames.whatsapp],
  };
  const now = () => new Date();
  const outbox = (channel: NotificationChannel) =>
    counted(outboxAdapter(documents, tables.NotificationOutbox!, channel, { failChannels: FAILING, now }));
  const workers: Record<string, (e: SQSEvent) => Promise<unknown>> = {
    Dispatch: (() => {
      const deps = dispatchDeps(env);
      const h = queueHandler(notificationRequestSchema(), async (r) => void (await dispatch(deps, r)));
      return (e: SQSEvent) => h(e, lambdaContext('Dispatch'));
    })(),
  };
  for (const channel of Object.keys(queueNames) as NotificationChannel[]) {
    const adapter = channel === 'in_app' ? counted(inAppAdapter(inboxOf(env))) : outbox(channel);
    const h = channelWorker(deliverDeps(adapter, 30, env));
    workers[`Deliver-${channel}`] = (e: SQSEvent) => h(e, lambdaContext(`Deliver-${channel}`));
  }
  pollers = startQueuePollers(fixture.functions, {
    sqs: clients.sqs,
    queueUrls,
    invoke: async (name, event) => ({
      ok: true,
      payload: JSON.stringify(await workers[name]!(event as SQSEvent)),
    }),
  });
});

afterAll(async () => {
  await pollers?.stop();
  Object.values(clients).forEach((c) => c.destroy());
});

// --- fixtures --------------------------------------------------------------------------------------------

async function newUser(
  contact: { email?: string; phone?: string } = { email: 'u@example.com', phone: '+919800000001' },
) {
  const userId = randomUUID();
  await documents.send(
    new PutCommand({
      TableName: tables.Users!,
      Item: { userId, username: userId, name: 'Test', roles: ['customer'], ...contact },
    }),
  );
  await settings.add(userId, {
    deviceId: `D${userId.slice(0, 8)}`,
    platform: 'android',
    endpoint: `local:push:android:${userId}`,
    createdAt: new Date().toISOString(),
  });
  return userId;
}

const request = (userId: string, over: Partial<NotificationRequest> = {}): NotificationRequest => ({
  eventType: 'order.confirmed',
  userId,
  data: { orderId: `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`, totalPaise: 25_000 },
  idempotencyKey: `test:${randomUUID()}`,
  priority: 'transactional',
  occurredAt: new Date().toISOString(),
  ...over,
});

const statusOf = async (notificationId: string) => {
  const n = await store.get(notificationId);
  return Object.fromEntries(Object.entries(n?.deliveries ?? {}).map(([c, d]) => [c, d.status]));
};
const idOf = (r: NotificationRequest) => notificationIdFor(r.idempotencyKey, r.occurredAt);
const settled = (s: Record<string, string>) =>
  Object.keys(s).length > 0 && Object.values(s).every((v) => v !== 'QUEUED');

// --- must hold -------------------------------------------------------------------------------------------

describe('a channel that always fails', () => {
  it('leaves the other channels delivering; its message ends in its DLQ and its status reads FAILED with the reason', async () => {
    const userId = await newUser();
    const r = request(userId);
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }]);
    const id = idOf(r);

    // The other channels deliver while WhatsApp is still retrying.
    await eventually(
      () => statusOf(id),
      (s) => s.in_app === 'SENT' && s.push === 'SENT' && s.email === 'SENT',
    );
    const final = await eventually(
      () => store.get(id),
      (n) => n?.deliveries.whatsapp?.status === 'FAILED',
      90_000,
    );
    expect(final!.deliveries.whatsapp).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('ZEPTO_FAIL_CHANNELS'),
      attempts: 5,
    });
    // Dead-lettered at once after the last attempt, not when the queue's visibility timeout (60 s) ends.
    await eventually(
      () => depth(clients.sqs, deadLetterUrls[queueNames.whatsapp]!),
      (d) => d >= 1,
      30_000,
    );
    const outbox = await readOutbox(documents, tables.NotificationOutbox!, { userId });
    expect(outbox.map((e) => e.channel).sort()).toEqual(['email', 'push']);
    expect(calls.whatsapp.filter((n) => n === id)).toHaveLength(5);
  });
});

describe('the same SQS message delivered twice', () => {
  it('reaches each channel once', async () => {
    const userId = await newUser({ email: 'twice@example.com' });
    const r = request(userId, { channels: ['in_app', 'push', 'email'] });
    const id = idOf(r);
    // Two SQS messages with the same request (a producer retried, or SQS delivered it twice)...
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }, { body: r }]);
    // ...and a channel message sent twice straight to its queue.
    await sendMessages(queueUrls[queueNames.email]!, [
      { body: { notificationId: id, userId, channel: 'email' } },
      { body: { notificationId: id, userId, channel: 'email' } },
    ]);
    await eventually(
      () => statusOf(id),
      (s) => s.in_app === 'SENT' && s.push === 'SENT' && s.email === 'SENT',
    );
    // Every duplicate has been consumed (nothing left to deliver late).
    await eventually(
      async () =>
        (
          await Promise.all(
            [REQUESTS, queueNames.in_app, queueNames.push, queueNames.email].map((q) =>
              depth(clients.sqs, queueUrls[q]!),
            ),
          )
        ).reduce((a, b) => a + b, 0),
      (left) => left === 0,
    );
    for (const channel of ['in_app', 'push', 'email'] as const)
      expect(calls[channel].filter((n) => n === id)).toHaveLength(1);
    const page = await inboxOf(env).list(userId, { limit: 10, unread: false });
    expect(page.items.map((i) => i.notificationId)).toEqual([id]);
  });

  it('is never sent again by a provider without idempotency after a worker died mid-send: FAILED with the reason', async () => {
    const userId = await newUser();
    const r = request(userId, { channels: ['email'] });
    // Dispatched without its channel message: the worker below is driven by hand.
    const { notificationId } = await dispatch(
      { ...dispatchDeps(env), queues: { send: async () => undefined } },
      r,
    );
    let sends = 0;
    const provider: ChannelAdapter = {
      channel: 'email',
      idempotent: false,
      send: async () => {
        sends++;
        return { providerId: 'ses-1' };
      },
    };
    const base = deliverDeps(provider, 30, env);
    // The worker "dies" right after the provider accepted: recording SENT never happens.
    const dying: typeof base = {
      ...base,
      notifications: Object.assign(Object.create(base.notifications) as typeof base.notifications, {
        settle: async () => {
          throw new Error('Runtime exited');
        },
      }),
    };
    const receipt = {
      receiveCount: 1,
      receiptHandle: 'h',
      eventSourceArn: 'arn:aws:sqs:ap-south-1:000000000000:x',
    };
    await expect(deliver(dying, { notificationId, userId, channel: 'email' }, receipt)).rejects.toThrow(
      'Runtime exited',
    );
    // SQS delivers the message again after the claim has lapsed.
    const later = { ...base, now: () => new Date(Date.now() + 60_000) };
    await expect(
      deliver(later, { notificationId, userId, channel: 'email' }, { ...receipt, receiveCount: 2 }),
    ).resolves.toBe('unknown');
    expect(sends).toBe(1);
    expect((await store.get(notificationId))!.deliveries.email).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('not sent again'),
    });
  });
});

describe('preferences', () => {
  const quietNow = () => {
    const now = new Date();
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    return {
      start: hhmm(new Date(now.getTime() - 3_600_000)),
      end: hhmm(new Date(now.getTime() + 3_600_000)),
      timeZone: 'UTC',
    };
  };

  it('defer a promotional message in quiet hours (in-app at once), and release it when they end', async () => {
    const userId = await newUser();
    await settings.put(userId, {
      channels: { push: true, email: true, whatsapp: false },
      promotional: true,
      quietHours: quietNow(),
      locale: 'hi',
    });
    const r = request(userId, {
      eventType: 'campaign.promotion',
      priority: 'promotional',
      data: { title: 'Sale', body: '20% off' },
    });
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }]);
    const id = idOf(r);
    const deferred = await eventually(
      () => statusOf(id),
      (s) => s.in_app === 'SENT',
    );
    expect(deferred).toEqual({ in_app: 'SENT', push: 'DEFERRED', email: 'DEFERRED', whatsapp: 'SUPPRESSED' });
    const n = await store.get(id);
    expect(n!.locale).toBe('hi');
    const dueAt = Date.parse(n!.deliveries.push!.dueAt!);
    expect(dueAt).toBeGreaterThan(Date.now());
    expect(calls.push.filter((x) => x === id)).toHaveLength(0);

    // Not due yet: the release leaves it.
    const release = releaseDeps(env);
    await releaseDue({ ...release, now: () => new Date() });
    expect((await statusOf(id)).push).toBe('DEFERRED');
    // The quiet hours are over: released to the channel queues and delivered once.
    await releaseDue({ ...release, now: () => new Date(dueAt + 1_000) });
    await eventually(
      () => statusOf(id),
      (s) => s.push === 'SENT' && s.email === 'SENT',
    );
    expect(calls.push.filter((x) => x === id)).toHaveLength(1);
  });

  it('suppress every channel of a promotional message for a user who opted out of promotions', async () => {
    const userId = await newUser();
    await settings.put(userId, {
      channels: { push: true, email: true, whatsapp: true },
      promotional: false,
      quietHours: null,
      locale: 'en',
    });
    const r = request(userId, {
      eventType: 'campaign.promotion',
      priority: 'promotional',
      data: { title: 'A', body: 'B' },
    });
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }]);
    const s = await eventually(() => statusOf(idOf(r)), settled);
    expect(s).toEqual({
      in_app: 'SUPPRESSED',
      push: 'SUPPRESSED',
      email: 'SUPPRESSED',
      whatsapp: 'SUPPRESSED',
    });
    expect((await inboxOf(env).list(userId, { limit: 10, unread: false })).items).toEqual([]);
  });

  it('never keep a transactional message from in-app, even with quiet hours and every channel off', async () => {
    const userId = await newUser();
    await settings.put(userId, {
      channels: { push: false, email: false, whatsapp: false },
      promotional: false,
      quietHours: quietNow(),
      locale: 'en',
    });
    const r = request(userId, { channels: ['push'] });
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }]);
    const s = await eventually(() => statusOf(idOf(r)), settled);
    expect(s).toEqual({ in_app: 'SENT', push: 'SUPPRESSED' });
    const page = await inboxOf(env).list(userId, { limit: 10, unread: false });
    expect(page.items.map((i) => i.title)).toEqual(['Order confirmed']);
  });
});

describe('a campaign', () => {
  const campaigns = new DynamoCampaignStore(documents, tables.NotificationCampaigns!);
  const newCampaign = async (userIds: string[], channels: CampaignChannel[]) => {
    const campaignId = ulid();
    await campaigns.create({
      campaignId,
      title: 'Monsoon sale',
      body: 'Umbrellas at 30% off',
      audience: { userIds },
      channels,
      status: 'SENDING',
      counts: { targeted: userIds.length, requested: 0, batches: 0 },
      delivered: Object.fromEntries(channels.map((c) => [c, 0])),
      createdAt: new Date().toISOString(),
      createdBy: 'test-admin',
    });
    return campaignId;
  };
  const campaignRequest = (campaignId: string, userId: string, channels: CampaignChannel[]) =>
    request(userId, {
      eventType: CAMPAIGN_EVENT,
      data: { title: 'Monsoon sale', body: 'Umbrellas at 30% off', campaignId },
      idempotencyKey: `campaign:${campaignId}:${userId}`,
      priority: 'promotional',
      channels,
    });

  it("reads how many were delivered per channel, counted from the workers' outcomes once even when messages come twice", async () => {
    const channels: CampaignChannel[] = ['in_app', 'email', 'whatsapp'];
    const userIds = await Promise.all([1, 2, 3].map(() => newUser()));
    const campaignId = await newCampaign(userIds, channels);
    const requests = userIds.map((u) => campaignRequest(campaignId, u, channels));
    // Every request twice, and one channel message twice more: duplicates must not count.
    await sendMessages(
      queueUrls[REQUESTS]!,
      [...requests, ...requests].map((body) => ({ body })),
    );
    const first = idOf(requests[0]!);
    await sendMessages(queueUrls[queueNames.in_app]!, [
      { body: { notificationId: first, userId: userIds[0], channel: 'in_app' } },
    ]);
    for (const r of requests)
      await eventually(
        () => statusOf(idOf(r)),
        (s) => s.in_app === 'SENT' && s.email === 'SENT',
      );
    await eventually(
      async () =>
        (
          await Promise.all(
            [REQUESTS, queueNames.in_app, queueNames.email].map((q) => depth(clients.sqs, queueUrls[q]!)),
          )
        ).reduce((a, b) => a + b, 0),
      (left) => left === 0,
    );
    // WhatsApp fails every send here (FAILING, still retrying or FAILED): nothing delivered, nothing counted.
    expect((await campaigns.get(campaignId))?.delivered).toEqual({ in_app: 3, email: 3, whatsapp: 0 });
  });

  it('counts a delivery settled SENT a second time (a lapsed claim retaken by an idempotent adapter) once', async () => {
    const userId = await newUser();
    const campaignId = await newCampaign([userId], ['in_app']);
    const { notificationId } = await dispatch(
      { ...dispatchDeps(env), queues: { send: async () => undefined } },
      campaignRequest(campaignId, userId, ['in_app']),
    );
    const counting = new DynamoNotificationStore(
      documents,
      tables.Notifications!,
      tables.NotificationCampaigns!,
    );
    const sent = { status: 'SENT' as const, updatedAt: new Date().toISOString(), attempts: 1 };
    await counting.settle(notificationId, 'in_app', sent, campaignId);
    await counting.settle(notificationId, 'in_app', { ...sent, attempts: 2 }, campaignId);
    expect((await campaigns.get(campaignId))?.delivered).toEqual({ in_app: 1 });
    expect((await store.get(notificationId))?.deliveries.in_app).toMatchObject({
      status: 'SENT',
      attempts: 1,
    });
  });
});

describe("the user's locale", () => {
  it('comes from the identity profile: a user registered with locale hi gets the Hindi templates on every channel', async () => {
    const userId = randomUUID();
    // What identity writes at registration (functions/identity/adapters/dynamodb-profile-repository.ts).
    const created = await dynamoDbProfileRepository(documents, tables.Users!).create({
      userId,
      username: userId,
      email: 'hindi@example.com',
      name: 'Asha',
      phone: '+919800000009',
      locale: 'hi',
      roles: ['customer'],
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    expect(created).toBe(true);
    const r = request(userId, { channels: ['in_app', 'email'] });
    await sendMessages(queueUrls[REQUESTS]!, [{ body: r }]);
    await eventually(
      () => statusOf(idOf(r)),
      (s) => s.in_app === 'SENT' && s.email === 'SENT',
    );
    const hindi = render('order.confirmed', 'hi', r.data)!;
    expect(hindi.title).not.toEqual(render('order.confirmed', 'en', r.data)!.title);
    expect((await store.get(idOf(r)))?.locale).toBe('hi');
    const page = await inboxOf(env).list(userId, { limit: 10, unread: false });
    expect(page.items.map((i) => i.title)).toEqual([hindi.title]);
    const outbox = await readOutbox(documents, tables.NotificationOutbox!, { userId, channel: 'email' });
    expect(outbox.map((e) => [e.to, e.title])).toEqual([['hindi@example.com', hindi.title]]);
  });
});
