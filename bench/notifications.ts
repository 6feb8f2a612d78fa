/**
 * Notifications end to end on the local platform: requests enqueued on NotificationRequests (transactional
 * `order.confirmed`, four channels each: in-app, push, email, WhatsApp) → the bundled dispatcher and the
 * four channel workers, polled from the local SQS engine as Lambda's event source mappings are → every
 * channel SENT. Two phases: a burst (every request enqueued at once: notifications/s from the first enqueue
 * to the last notification with every channel SENT, and channel sends/s; its latencies are mostly
 * queueing) and a paced load below saturation (10 requests/s for 20 s: the p50/p99 of request → in-app
 * visible, the inbox item readable, and of request → every channel SENT).
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
/** The paced phase: below what the machine sustains, so its latencies are not queueing. */
const PACED_RATE = 10;
const PACED_SECONDS = 20;

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

    interface PhaseResult {
      requests: number;
      sent: number;
      seconds: number;
      rate: number;
      inApp: ReturnType<typeof summarise>;
      endToEnd: ReturnType<typeof summarise>;
    }
    /** Enqueues `count` requests (all at once, or `pace` per second) and waits until every channel is SENT. */
    const phase = async (count: number, pace: number | undefined): Promise<PhaseResult> => {
      const requests: NotificationRequest[] = Array.from({ length: count }, (_, i) => ({
        eventType: 'order.confirmed',
        userId: users[i % USERS]!,
        data: { orderId: `01JBENCH${String(i).padStart(18, '0')}`, totalPaise: 19_900 + i },
        idempotencyKey: `bench:${randomUUID()}`,
        priority: 'transactional',
        occurredAt: new Date().toISOString(),
      }));
      const ids = requests.map((r) => notificationIdFor(r.idempotencyKey, r.occurredAt));
      const userOf = new Map(requests.map((r, i) => [ids[i]!, r.userId]));
      const sentAt = new Map<string, number>();
      const inAppMs: number[] = [];
      const allSentAt = new Map<string, number>();
      const inboxSeen = new Set<string>();
      const queueUrl = resources.queueUrls.NotificationRequests!;
      const started = performance.now();
      const enqueue = (async () => {
        for (let i = 0; i < requests.length; i += 10) {
          if (pace) {
            const due = started + (i / pace) * 1000;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
          }
          const batch = requests.slice(i, i + 10);
          const at = performance.now();
          await clients.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((r, j) => ({ Id: String(j), MessageBody: JSON.stringify(r) })),
            }),
          );
          for (let j = 0; j < batch.length; j++) sentAt.set(ids[i + j]!, at);
        }
      })();
      const deadline = Date.now() + Math.max(180_000, count * 200);
      let enqueued = false;
      void enqueue.then(() => (enqueued = true));
      while (
        (!enqueued || allSentAt.size < ids.length || inboxSeen.size < ids.length) &&
        Date.now() < deadline
      ) {
        const now = performance.now();
        const known = ids.filter((id) => sentAt.has(id));
        const waitingInbox = known.filter((id) => !inboxSeen.has(id)).slice(0, 100);
        if (waitingInbox.length > 0) {
          const out = await documents.send(
            new BatchGetCommand({
              RequestItems: {
                [t.NotificationInbox!]: {
                  Keys: waitingInbox.map((notificationId) => ({
                    userId: userOf.get(notificationId)!,
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
            inAppMs.push(now - sentAt.get(id)!);
          }
        }
        const waitingSent = known.filter((id) => !allSentAt.has(id)).slice(0, 100);
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
      await enqueue;
      const done = Math.max(...allSentAt.values(), started + 1);
      const seconds = (done - started) / 1000;
      return {
        requests: count,
        sent: allSentAt.size,
        seconds,
        rate: allSentAt.size / seconds,
        inApp: summarise(inAppMs, done - started),
        endToEnd: summarise(
          [...allSentAt].map(([id, at]) => at - sentAt.get(id)!),
          done - started,
        ),
      };
    };

    const burst = await phase(opts.requests, undefined);
    const paced = await phase(PACED_RATE * PACED_SECONDS, PACED_RATE);
    const row = (name: string, r: PhaseResult) => [
      `| ${name}: notifications with every channel SENT | ${r.sent} of ${r.requests} in ${r.seconds.toFixed(1)} s |`,
      `| ${name}: notifications/s end to end | ${r.rate.toFixed(1)} (${(r.rate * 4).toFixed(0)} channel sends/s) |`,
      `| ${name}: request → in-app visible p50 / p99 | ${r.inApp.p50.toFixed(0)} ms / ${r.inApp.p99.toFixed(0)} ms (${r.inApp.count} seen) |`,
      `| ${name}: request → every channel SENT p50 / p99 | ${r.endToEnd.p50.toFixed(0)} ms / ${r.endToEnd.p99.toFixed(0)} ms |`,
    ];
    const lines = [
      '## Notifications (end to end, local platform)',
      '',
      `Transactional requests (four channels each: in-app, push, email, WhatsApp) on NotificationRequests → the bundled dispatcher and channel workers behind the local event source mappings (${platform.runner.concurrency} pollers per queue — the runner's environments per function —, batches of 10), outbox adapters for push, email and WhatsApp, DynamoDB Local. Burst: ${opts.requests} requests enqueued at once (throughput; latency is mostly queueing). Paced: ${PACED_RATE} requests/s for ${PACED_SECONDS} s (latency below saturation). Visibility polled every 100 ms.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      ...row('burst', burst),
      ...row('paced', paced),
      `| seed average (5 M/day) | ${SEED_AVERAGE_PER_SECOND.toFixed(1)}/s; target ×10 = ${(SEED_AVERAGE_PER_SECOND * 10).toFixed(0)}/s: ${burst.rate >= SEED_AVERAGE_PER_SECOND * 10 ? 'met' : 'not met'} on this machine |`,
      '',
    ];
    return lines.join('\n');
  } finally {
    clients.destroy();
  }
}
