/**
 * Runs queue triggers locally, as Lambda's SQS event source mapping does: pollers long-poll the queue,
 * invoke the consumer through the same Lambda runner as HTTP functions with an `SQSEvent` of up to
 * `batchSize` messages, and delete what the function did not report in `batchItemFailures`. A failed
 * invocation deletes nothing. What is not deleted comes back after the visibility timeout, and the queue's
 * redrive policy (provisioned like CDK's) moves it to the DLQ after maxReceiveCount deliveries.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_BATCH_SIZE } from '../lib/app/queues';
import { isQueueFunction, type FunctionDef } from '../lib/app/types';

/**
 * Pollers per consumer when its trigger sets no maxConcurrency and the caller gives no default. AWS then
 * scales a mapping's concurrent invocations with the backlog; the platform passes the runner's environments
 * per function instead (more pollers than environments would only hold messages waiting in line).
 */
const DEFAULT_POLLERS = 2;
const WAIT_SECONDS = 20;

export interface QueuePollers {
  /** Stops polling; resolves when every poller has finished its current batch. */
  stop(): Promise<void>;
}

export function startQueuePollers(
  functions: readonly FunctionDef[],
  opts: {
    readonly sqs: SQSClient;
    readonly queueUrls: Readonly<Record<string, string>>;
    readonly invoke: (name: string, event: unknown) => Promise<{ ok: boolean; payload?: string }>;
    readonly log?: (line: string) => void;
    /** Pollers of a consumer whose trigger sets no maxConcurrency (default 2). */
    readonly defaultPollers?: number;
  },
): QueuePollers {
  const abort = new AbortController();
  const loops: Promise<void>[] = [];
  for (const fn of functions.filter(isQueueFunction)) {
    const { trigger } = fn;
    const queueUrl = opts.queueUrls[trigger.queue];
    if (!queueUrl) throw new Error(`${fn.name} consumes ${trigger.queue}, which was not provisioned`);
    const arn = queueArn(opts.sqs, queueUrl);
    const poll = async () => {
      const eventSourceARN = await arn;
      while (!abort.signal.aborted) {
        const messages = await receive(
          opts.sqs,
          queueUrl,
          trigger.batchSize ?? DEFAULT_BATCH_SIZE,
          abort.signal,
        );
        if (messages.length === 0) continue;
        const event: SQSEvent = { Records: messages.map((m) => sqsRecord(m, eventSourceARN)) };
        const result = await opts.invoke(fn.name, event).catch((err: unknown) => {
          opts.log?.(`[queues] ${fn.name} failed: ${String(err)}`);
          return { ok: false } as const;
        });
        if (!result.ok) {
          opts.log?.(
            `[queues] ${fn.name} failed: ${messages.length} message(s) come back after the visibility timeout`,
          );
          continue;
        }
        const failed = failedIds(result.payload, messages);
        const done = failed === 'all' ? [] : messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0)
          await opts.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
      }
    };
    for (let i = 0; i < (trigger.maxConcurrency ?? opts.defaultPollers ?? DEFAULT_POLLERS); i++)
      loops.push(
        poll().catch((err: unknown) => {
          if (!abort.signal.aborted) opts.log?.(`[queues] poller of ${fn.name} stopped: ${String(err)}`);
        }),
      );
  }
  return {
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

async function receive(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  signal: AbortSignal,
): Promise<Message[]> {
  try {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(max, 10),
        WaitTimeSeconds: WAIT_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages;
  } catch (err) {
    if (signal.aborted) return [];
    throw err;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`No ARN for ${queueUrl}`);
  return Attributes.QueueArn;
}

/** The record shape Lambda's event source mapping delivers. */
export function sqsRecord(message: Message, eventSourceARN: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          ...(value.BinaryValue !== undefined
            ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
            : {}),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: eventSourceARN.split(':')[3] ?? 'ap-south-1',
  };
}

/**
 * The ids a consumer reported as failed, read as Lambda reads them: no answer, null or an empty list is
 * success; an answer that is not JSON, or names an id that was not in the batch, fails the whole batch.
 */
export function failedIds(payload: string | undefined, batch: readonly Message[]): Set<string> | 'all' {
  if (!payload) return new Set();
  let response: Partial<SQSBatchResponse> | null;
  try {
    response = JSON.parse(payload) as Partial<SQSBatchResponse> | null;
  } catch {
    return 'all';
  }
  const ids = new Set(batch.map((m) => m.MessageId));
  const failed = new Set<string>();
  for (const failure of response?.batchItemFailures ?? []) {
    if (!failure?.itemIdentifier || !ids.has(failure.itemIdentifier)) return 'all';
    failed.add(failure.itemIdentifier);
  }
  return failed;
}
