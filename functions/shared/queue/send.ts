/**
 * Sends JSON messages to a queue the function declared (`queues: {Name: 'send'}` → `<NAME>_QUEUE_URL`).
 * Batches of 10 (SendMessageBatch); entries SQS could not take for a reason of its own (not the sender's)
 * are sent again, and anything still refused throws, so a caller never believes a lost message was sent.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { sqsClient } from '../aws/sqs';

export interface OutgoingMessage {
  /** Serialised with JSON.stringify. */
  readonly body: unknown;
  /** FIFO queues: the ordering group. */
  readonly groupId?: string;
  /** FIFO queues: repeats of this id within 5 minutes are dropped by SQS. */
  readonly deduplicationId?: string;
  /** Standard queues: deliver no earlier than this (0-900 s). */
  readonly delaySeconds?: number;
}

/** SendMessageBatch takes at most 10 entries and 1 MiB in all. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1024 * 1024;
const ATTEMPTS = 3;

export class QueueSendError extends Error {
  constructor(
    readonly failed: readonly {
      readonly code?: string;
      readonly message?: string;
      readonly senderFault: boolean;
    }[],
  ) {
    super(
      `SQS refused ${failed.length} message(s): ${failed.map((f) => `${f.code ?? 'Unknown'}${f.message ? ` (${f.message})` : ''}`).join('; ')}`,
    );
    this.name = 'QueueSendError';
  }
}

export async function sendMessages(queueUrl: string, messages: readonly OutgoingMessage[]): Promise<void> {
  const entries = messages.map((m, i): SendMessageBatchRequestEntry => ({
    Id: String(i),
    MessageBody: JSON.stringify(m.body),
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.deduplicationId,
    DelaySeconds: m.delaySeconds,
  }));
  for (const batch of batches(entries)) await sendBatch(queueUrl, batch);
}

async function sendBatch(queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
  let pending = entries;
  for (let attempt = 1; ; attempt++) {
    const { Failed = [] } = await sqsClient.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
    );
    if (Failed.length === 0) return;
    const retryable = Failed.filter((f) => !f.SenderFault);
    if (retryable.length < Failed.length || attempt === ATTEMPTS)
      throw new QueueSendError(
        Failed.map((f) => ({ code: f.Code, message: f.Message, senderFault: f.SenderFault ?? false })),
      );
    const again = new Set(retryable.map((f) => f.Id));
    pending = pending.filter((e) => again.has(e.Id));
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
  }
}

function* batches(entries: SendMessageBatchRequestEntry[]): Generator<SendMessageBatchRequestEntry[]> {
  let batch: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '');
    if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
