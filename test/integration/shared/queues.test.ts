/**
 * Queues on the local SQS engine (fauxqs) as the app uses them: provisioned with their DLQs and redrive
 * policies, `sendMessages` and `requestNotifications` landing real messages, and the local event source
 * mapping (local/queues.ts) driving a `queueHandler` consumer — successes deleted, failures and malformed
 * messages redelivered and then dead-lettered, nothing lost.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { requestNotifications } from '../../../functions/shared/published/notification-request';
import { queueHandler } from '../../../functions/shared/queue/consumer';
import { sendMessages } from '../../../functions/shared/queue/send';
import { app } from '../../../lib/app/app';
import { queueEnvName } from '../../../lib/app/env';
import type { AppDef } from '../../../lib/app/types';
import { provision } from '../../../local/provision';
import { startQueuePollers } from '../../../local/queues';
import { testClients, testResources } from '../../support/engines';
import { lambdaContext } from '../../support/lambda';

const resources = testResources();
const clients = testClients(resources);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const attributes = async (sqs: SQSClient, url: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ??
  {};

/** Polls `probe` until it holds (or fails after `timeoutMs`): never a fixed sleep. */
async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('provisioned queues', () => {
  it.each((app.queues ?? []).map((q) => [q.name] as const))(
    '%s exists with a redrive policy to its own DLQ',
    async (name) => {
      const url = resources.queueUrls[name]!;
      expect(process.env[queueEnvName(name)]).toBe(url);
      const queue = await attributes(clients.sqs, url);
      const dlq = await attributes(clients.sqs, resources.deadLetterQueueUrls[name]!);
      expect(JSON.parse(queue.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: dlq.QueueArn,
        maxReceiveCount: 5,
      });
      expect(queue.VisibilityTimeout).toBe('60');
    },
  );
});

describe('sending', () => {
  it('sends JSON messages that a receiver reads back, more than one batch of them', async () => {
    const url = resources.queueUrls.OrderEvents!;
    const ids = Array.from({ length: 12 }, (_, i) => `send-${Date.now()}-${i}`);
    await sendMessages(
      url,
      ids.map((id) => ({ body: { id } })),
    );
    const seen = new Set<string>();
    await eventually(
      async () => {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        for (const m of Messages) seen.add((JSON.parse(m.Body!) as { id: string }).id);
        return ids.filter((id) => !seen.has(id)).length;
      },
      (missing) => missing === 0,
    );
  });

  it('validates a notification request before it is enqueued', async () => {
    // A queue of this test's own: the app's NotificationRequests also receives what other tests' imports
    // send through the real bundled Tasks.
    const { QueueUrl: url } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `notification-requests-${Date.now()}` }),
    );
    if (!url) throw new Error('CreateQueue returned no URL');
    const request = {
      eventType: 'inventory_import.finished',
      userId: 'merchant-1',
      data: { importId: 'imp-1' },
      idempotencyKey: 'inventory_import.finished:imp-1',
      priority: 'transactional' as const,
      occurredAt: new Date().toISOString(),
    };
    await requestNotifications(url, [request]);
    await expect(
      requestNotifications(url, [{ ...request, eventType: 'Not An Event', priority: 'loud' as never }]),
    ).rejects.toThrow();
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body!) as unknown)).toEqual([request]);
  });
});

describe('the local event source mapping', () => {
  const fixture: AppDef = {
    tables: [],
    buckets: [],
    userPool: { groups: [] },
    queues: [{ name: 'Work', description: 'test work', visibilityTimeoutSeconds: 1, maxReceiveCount: 2 }],
    functions: [
      {
        name: 'Worker',
        service: 'test',
        entry: 'unused.ts',
        description: 'test consumer',
        trigger: { kind: 'queue', queue: 'Work', batchSize: 10 },
        timeoutSeconds: 1,
      },
    ],
  };

  it('deletes what succeeded, redelivers what failed and dead-letters it after maxReceiveCount', async () => {
    const local = await provision(fixture, resources.endpoints, { stage: 'local', logLevel: 'ERROR' });
    const url = local.queueUrls.Work!;
    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const handler = queueHandler(z.object({ id: z.string(), fail: z.optional(z.boolean()) }), async (m) => {
      attempts.set(m.id, (attempts.get(m.id) ?? 0) + 1);
      if (m.fail) throw new Error('provider down');
      handled.push(m.id);
    });
    const pollers = startQueuePollers(fixture.functions, {
      sqs: clients.sqs,
      queueUrls: local.queueUrls,
      invoke: async (_name, event) => ({
        ok: true,
        payload: JSON.stringify(await handler(event as SQSEvent, lambdaContext('Worker'))),
      }),
    });
    try {
      await sendMessages(url, [
        { body: { id: 'a' } },
        { body: { id: 'b', fail: true } },
        { body: { id: 'c' } },
      ]);
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'not json' }));
      const dlq = local.deadLetterQueueUrls.Work!;
      await eventually(
        async () => {
          const [queue, dead] = await Promise.all([
            attributes(clients.sqs, url),
            attributes(clients.sqs, dlq),
          ]);
          return {
            dead: Number(dead.ApproximateNumberOfMessages),
            left:
              Number(queue.ApproximateNumberOfMessages) + Number(queue.ApproximateNumberOfMessagesNotVisible),
          };
        },
        (c) => c.dead === 2 && c.left === 0,
      );
      expect(handled.sort()).toEqual(['a', 'c']);
      expect(attempts.get('b')).toBe(2);
      expect(attempts.get('a')).toBe(1);
    } finally {
      await pollers.stop();
    }
  });
});
