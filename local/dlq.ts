/**
 * `npm run dlq -- list` (every dead-letter queue and its depth) and `npm run dlq -- redrive <queue>` (moves
 * a queue's dead letters back to it, for its consumer to try again).
 *
 * - Locally (no flags): against the running `npm start` platform (`.local/data/state.json`). The local SQS
 *   engine has no StartMessageMoveTask, so redrive moves the messages itself: receive from the DLQ, send the
 *   same body to the queue, delete from the DLQ (a message is never deleted before its copy is sent).
 * - A deployed stage: `npm run dlq -- list --stage prod` with credentials in the environment; queues are
 *   found by the data stack's name prefix (`zepto-<stage>-data`) and their redrive policies, and redrive
 *   is SQS's own StartMessageMoveTask (the same move the console's "Start DLQ redrive" makes).
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app } from '../lib/app/app';
import type { LocalResources } from './engines/types';

export interface DeadLetterQueue {
  /** Logical name of the source queue in the app definition. */
  readonly queue: string;
  readonly url: string;
  readonly deadLetterUrl: string;
}

export async function depthOf(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Moves every visible message of `from` to `to`; returns how many moved (the local engine's redrive). */
export async function moveMessages(sqs: SQSClient, from: string, to: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: from,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return moved;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0
            ? { MessageAttributes: m.MessageAttributes }
            : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    moved += done.length;
    if ((sent.Failed ?? []).length > 0)
      throw new Error(`SQS refused ${sent.Failed!.length} message(s) while moving; they stay in the DLQ`);
  }
}

async function awsQueues(sqs: SQSClient, stage: string): Promise<DeadLetterQueue[]> {
  const urls: string[] = [];
  let next: string | undefined;
  do {
    const out = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: `zepto-${stage}-data`, NextToken: next, MaxResults: 1000 }),
    );
    urls.push(...(out.QueueUrls ?? []));
    next = out.NextToken;
  } while (next);
  const byArn = new Map<string, string>();
  const policies = new Map<string, string>();
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    if (Attributes.QueueArn) byArn.set(Attributes.QueueArn, url);
    if (Attributes.RedrivePolicy) policies.set(url, Attributes.RedrivePolicy);
  }
  const found: DeadLetterQueue[] = [];
  for (const def of app.queues ?? []) {
    const url = urls.find((u) => policies.has(u) && u.split('/').pop()!.includes(`${def.name}Queue`));
    if (!url) continue;
    const target = (JSON.parse(policies.get(url)!) as { deadLetterTargetArn: string }).deadLetterTargetArn;
    const deadLetterUrl = byArn.get(target);
    if (deadLetterUrl) found.push({ queue: def.name, url, deadLetterUrl });
  }
  return found;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'ap-south-1' },
      'data-dir': { type: 'string', default: join(process.cwd(), '.local', 'data') },
    },
  });
  const [command, name] = positionals;
  if (command !== 'list' && command !== 'redrive')
    throw new Error('Usage: npm run dlq -- list | redrive <queue>  [--stage <stage>]');
  let sqs: SQSClient;
  let queues: DeadLetterQueue[];
  if (values.stage) {
    sqs = new SQSClient({ region: values.region });
    queues = await awsQueues(sqs, values.stage);
  } else {
    const state = JSON.parse(
      await readFile(join(values['data-dir'], 'state.json'), 'utf8').catch(() => {
        throw new Error(`No local platform state in ${values['data-dir']}: start it with npm start first`);
      }),
    ) as LocalResources;
    sqs = new SQSClient({
      region: 'ap-south-1',
      endpoint: state.endpoints.sqs,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
    queues = Object.keys(state.deadLetterQueueUrls).map((queue) => ({
      queue,
      url: state.queueUrls[queue]!,
      deadLetterUrl: state.deadLetterQueueUrls[queue]!,
    }));
  }
  try {
    if (command === 'list') {
      process.stdout.write(`${'queue'.padEnd(34)} ${'dead letters'.padStart(12)}  in flight\n`);
      for (const q of queues) {
        const depth = await depthOf(sqs, q.deadLetterUrl);
        process.stdout.write(
          `${q.queue.padEnd(34)} ${String(depth.visible).padStart(12)}  ${depth.inFlight}\n`,
        );
      }
      return;
    }
    const q = queues.find((x) => x.queue === name);
    if (!q)
      throw new Error(`No queue ${name ?? '(none given)'}; one of: ${queues.map((x) => x.queue).join(', ')}`);
    if (values.stage) {
      const arn = async (url: string) =>
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
          .Attributes!.QueueArn!;
      const { TaskHandle } = await sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: await arn(q.deadLetterUrl),
          DestinationArn: await arn(q.url),
        }),
      );
      process.stdout.write(`Started moving ${q.queue}'s dead letters back (task ${TaskHandle})\n`);
    } else {
      const moved = await moveMessages(sqs, q.deadLetterUrl, q.url);
      process.stdout.write(`Moved ${moved} dead letter(s) back to ${q.queue}\n`);
    }
  } finally {
    sqs.destroy();
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
