/**
 * The DLQ tool (`npm run dlq`) on the local SQS engine: depths, and the local redrive that moves dead
 * letters back to their queue (the engine has no StartMessageMoveTask) without losing or doubling any.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendMessages } from '../../../functions/shared/queue/send';
import type { AppDef } from '../../../lib/app/types';
import { depthOf, moveMessages } from '../../../local/dlq';
import { provision } from '../../../local/provision';
import { testClients, testResources } from '../../support/engines';

const resources = testResources();
const clients = testClients(resources);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

it('lists a DLQ depth and moves its dead letters back to their queue, each once', async () => {
  const name = `Dlq${Date.now().toString(36)}`;
  const fixture: AppDef = {
    tables: [],
    buckets: [],
    userPool: { groups: [] },
    queues: [{ name, description: 'dlq tool test' }],
    functions: [],
  };
  const local = await provision(fixture, resources.endpoints, { stage: 'local', logLevel: 'ERROR' });
  const queue = local.queueUrls[name]!;
  const dlq = local.deadLetterQueueUrls[name]!;
  const bodies = Array.from({ length: 13 }, (_, i) => ({ n: i }));
  await sendMessages(
    dlq,
    bodies.map((body) => ({ body })),
  );
  for (let deadline = Date.now() + 10_000; (await depthOf(clients.sqs, dlq)).visible < 13;) {
    if (Date.now() > deadline) throw new Error('The DLQ never showed its 13 messages');
    await sleep(100);
  }
  expect(await depthOf(clients.sqs, dlq)).toEqual({ visible: 13, inFlight: 0 });

  expect(await moveMessages(clients.sqs, dlq, queue)).toBe(13);
  expect((await depthOf(clients.sqs, dlq)).visible + (await depthOf(clients.sqs, dlq)).inFlight).toBe(0);
  const received: number[] = [];
  while (received.length < 13) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) break;
    received.push(...Messages.map((m) => (JSON.parse(m.Body!) as { n: number }).n));
  }
  expect(received.sort((a, b) => a - b)).toEqual(bodies.map((b) => b.n));
});
