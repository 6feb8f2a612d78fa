/**
 * Notifications end to end on the local platform: requests enqueued on NotificationRequests (transactional
 * `order.confirmed`, four channels each: in-app, push, email, WhatsApp) → the bundled dispatcher and the
 * four channel workers, polled from the local SQS engine as Lambda's event source mappings are → every
 * channel SENT. Reports notifications/s (first enqueue to the last notification with every channel SENT,
 * and channel sends/s) and the p50/p99 of request → in-app visible (the inbox item readable).
 *
 * Visibility is observed by polling the tables (BatchGetItem every 100 ms), so latencies carry up to one
 * polling interval. Set-up (users with an email, a phone and a device) is not timed.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { notificationIdFor } from '../functions/notifications/domain';
import type { NotificationRequest } from '../functions/shared/published/notification-request';
import { localClients } from '../local/engines/clients';
import type { Platform } from '../local/platform';
import { summarise } from './stats';

export interface NotificationsBenchOptions {
  readonly platform: Platform;
  /** Requests to send (each one notification on four channels). */
  readonly requests: number;
  readonly log: (line: string) => void;
}

const USERS = 200;
const SEED_AVERAGE_PER_SECOND = 5_000_000 / 86_400;

async function batchWrite(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
) {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, unknown>[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
      );
      pending = (out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
    }
  }
}

export async function benchNotifications(opts: NotificationsBenchOptions): Promise<string> {
  const { platform, log } = opts;
  const { resources } = platform;
  const clients = localClients(resources.endpoints);
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const t = resources.tableNames;
  try {
    log(`Notifications: ${USERS} users, ${opts.requests} requests on four channels…`);
    const users = Array.from({ length: USERS }, () => randomUUID());
    await batchWrite(
      documents,
      t.Users!,
      users.map((userId, i) => ({
        userId,
        username: userId,
        name: `Bench ${i}`,
        email: `bench-${i}@example.com`,
        phone: `+9198${String(i).padStart(8, '0')}`,
        roles: ['customer'],
      })),
    );
    await batchWrite(
      documents,
      t.NotificationSettings!,
      users.map((userId) => ({
        pk: `USER#${userId}`,
        sk: 'DEVICE#BENCH',
        deviceId: 'BENCH',
        platform: 'android',
        endpoint: `local:push:android:${userId}`,
        createdAt: new Date().toISOString(),
      })),
    );

    const requests: NotificationRequest[] = Array.from({ length: opts.requests }, (_, i) => ({
      eventType: 'order.confirmed',
      userId: users[i % USERS]!,
      data: { orderId: `01JBENCH${String(i).padStart(18, '0')}`, totalPaise: 19_900 + i },
      idempotencyKey: `bench:${randomUUID()}`,
      priority: 'transactional',
      occurredAt: new Date().toISOString(),
    }));
    const pending = new Map(
      requests.map((r) => [
        notificationIdFor(r.idempotencyKey, r.occurredAt),
        { userId: r.userId, sentAt: 0 },
      ]),
    );
    const inAppMs: number[] = [];
    const allSentAt = new Map<string, number>();
    const inboxSeen = new Set<string>();

    const started = performance.now();
    const ids = [...pending.keys()];
    const queueUrl = resources.queueUrls.NotificationRequests!;
    for (let i = 0; i < requests.length; i += 10) {
      const batch = requests.slice(i, i + 10);
      const at = performance.now();
      await clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((r, j) => ({ Id: String(j), MessageBody: JSON.stringify(r) })),
        }),
      );
      for (let j = 0; j < batch.length; j++) pending.get(ids[i + j]!)!.sentAt = at;
    }
    const enqueued = performance.now();

    const deadline = Date.now() + Math.max(120_000, opts.requests * 200);
    while ((allSentAt.size < ids.length || inboxSeen.size < ids.length) && Date.now() < deadline) {
      const now = performance.now();
      const waitingInbox = ids.filter((id) => !inboxSeen.has(id)).slice(0, 100);
      if (waitingInbox.length > 0) {
        const out = await documents.send(
          new BatchGetCommand({
            RequestItems: {
              [t.NotificationInbox!]: {
                Keys: waitingInbox.map((notificationId) => ({
                  userId: pending.get(notificationId)!.userId,
                  notificationId,
                })),
                ProjectionExpression: 'notificationId',
              },
            },
          }),
        );
        for (const item of out.Responses?.[t.NotificationInbox!] ?? []) {
          const id = String(item.notificationId);
          if (inboxSeen.has(id)) continue;
          inboxSeen.add(id);
          inAppMs.push(now - pending.get(id)!.sentAt);
        }
      }
      const waitingSent = ids.filter((id) => !allSentAt.has(id)).slice(0, 100);
      if (waitingSent.length > 0) {
        const out = await documents.send(
          new BatchGetCommand({
            RequestItems: {
              [t.Notifications!]: {
                Keys: waitingSent.map((notificationId) => ({ notificationId })),
                ProjectionExpression: 'notificationId, deliveries',
              },
            },
          }),
        );
        for (const item of out.Responses?.[t.Notifications!] ?? []) {
          const deliveries = Object.values((item.deliveries ?? {}) as Record<string, { status: string }>);
          if (deliveries.length === 4 && deliveries.every((d) => d.status === 'SENT'))
            allSentAt.set(String(item.notificationId), now);
        }
      }
      await sleep(100);
    }
    const done = Math.max(...allSentAt.values(), enqueued);
    const seconds = (done - started) / 1000;
    const inApp = summarise(inAppMs, done - started);
    const endToEnd = summarise(
      [...allSentAt].map(([id, at]) => at - pending.get(id)!.sentAt),
      done - started,
    );
    const rate = allSentAt.size / seconds;
    const lines = [
      '## Notifications (end to end, local platform)',
      '',
      `${opts.requests} transactional requests (four channels each) enqueued on NotificationRequests in ${((enqueued - started) / 1000).toFixed(1)} s; bundled dispatcher and channel workers behind the local event source mappings (2 pollers per queue, batches of 10), outbox adapters for push, email and WhatsApp, DynamoDB Local. Visibility polled every 100 ms.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| notifications with every channel SENT | ${allSentAt.size} of ${opts.requests} in ${seconds.toFixed(1)} s |`,
      `| notifications/s end to end | ${rate.toFixed(1)} (${(rate * 4).toFixed(0)} channel sends/s) |`,
      `| seed average (5 M/day) | ${SEED_AVERAGE_PER_SECOND.toFixed(1)}/s; target ×10 = ${(SEED_AVERAGE_PER_SECOND * 10).toFixed(0)}/s: ${rate >= SEED_AVERAGE_PER_SECOND * 10 ? 'met' : 'not met'} on this machine |`,
      `| request → in-app visible p50 / p99 | ${inApp.p50.toFixed(0)} ms / ${inApp.p99.toFixed(0)} ms (${inApp.count} seen) |`,
      `| request → every channel SENT p50 / p99 | ${endToEnd.p50.toFixed(0)} ms / ${endToEnd.p99.toFixed(0)} ms |`,
      '',
    ];
    return lines.join('\n');
  } finally {
    clients.destroy();
  }
}
