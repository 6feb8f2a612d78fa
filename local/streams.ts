/**
 * Runs stream triggers locally, as Lambda's DynamoDB Streams event source mapping does, over DynamoDB
 * Local's streams API (DescribeStream, GetShardIterator, GetRecords): one reader per shard (new shards are
 * picked up as they appear), batches of up to `batchSize` records after at most `maxBatchingWindowSeconds`,
 * invoked through the same Lambda runner as HTTP functions with a `DynamoDBStreamEvent`.
 *
 * Like Lambda with ReportBatchItemFailures: an answer naming sequence numbers in `batchItemFailures`
 * checkpoints everything before the lowest of them and retries from it; a failed invocation (or an answer
 * that is not JSON or names a record outside the batch) retries the whole batch, split in two first when
 * `bisectOnError` is on. After `retryAttempts` retries the batch's metadata (Lambda's on-failure record) is
 * sent to the `onFailure` queue and the shard moves on. Readers start at LATEST: the platform builds the
 * search index from the table itself at start (local/search-index.ts).
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_STREAM_BATCH_SIZE, DEFAULT_STREAM_RETRY_ATTEMPTS } from '../lib/app/streams';
import { isStreamFunction, type FunctionDef, type StreamTrigger } from '../lib/app/types';

/** How often an idle shard is read (Lambda polls each shard about four times a second). */
const POLL_MS = 250;
const SHARD_DISCOVERY_MS = 2_000;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 2_000;

export interface StreamPollers {
  /** Stops reading; resolves when every reader has finished its current batch. */
  stop(): Promise<void>;
}

export interface StreamPollerOptions {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly queueUrls: Readonly<Record<string, string>>;
  readonly invoke: (name: string, event: unknown) => Promise<{ ok: boolean; payload?: string }>;
  readonly log?: (line: string) => void;
  /** Where a reader of a shard seen at start begins. @default LATEST */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
}

/** Starts the readers; resolves once every stream's shards have an iterator (changes from now on are seen). */
export async function startStreamPollers(
  functions: readonly FunctionDef[],
  opts: StreamPollerOptions,
): Promise<StreamPollers> {
  const abort = new AbortController();
  const loops: Promise<void>[] = [];
  for (const fn of functions.filter(isStreamFunction)) {
    const tableName = opts.tableNames[fn.trigger.table];
    if (!tableName) throw new Error(`${fn.name} reads ${fn.trigger.table}, which was not provisioned`);
    const { Table } = await opts.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`${tableName} has no stream (provisioning enables the declared ones)`);
    const reader = new StreamReader(fn.name, fn.trigger, streamArn, opts, abort.signal);
    await reader.discover(opts.startingPosition ?? 'LATEST');
    loops.push(
      reader.run().catch((err: unknown) => {
        if (!abort.signal.aborted) opts.log?.(`[streams] reader of ${fn.name} stopped: ${String(err)}`);
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

class StreamReader {
  private readonly shards = new Map<string, Promise<void>>();

  constructor(
    private readonly functionName: string,
    private readonly trigger: StreamTrigger,
    private readonly streamArn: string,
    private readonly opts: StreamPollerOptions,
    private readonly signal: AbortSignal,
  ) {}

  /** Starts a reader for every shard not read yet: shards seen at start at `initial`, new ones from their start. */
  async discover(initial?: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.opts.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        const shardId = shard.ShardId;
        if (!shardId || this.shards.has(shardId)) continue;
        // A shard closed before we started was read by nobody we know of: at start, skip it (as LATEST does).
        if (initial === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) {
          this.shards.set(shardId, Promise.resolve());
          continue;
        }
        const { ShardIterator } = await this.opts.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ShardIteratorType: initial ?? 'TRIM_HORIZON',
          }),
        );
        this.shards.set(
          shardId,
          this.readShard(shardId, ShardIterator).catch((err: unknown) => {
            if (!this.signal.aborted)
              this.opts.log?.(`[streams] ${this.functionName} shard ${shardId} stopped: ${String(err)}`);
          }),
        );
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  async run(): Promise<void> {
    while (!this.signal.aborted) {
      await sleep(SHARD_DISCOVERY_MS, undefined, { signal: this.signal }).catch(() => undefined);
      if (this.signal.aborted) break;
      await this.discover().catch((err: unknown) => {
        if (!this.signal.aborted) this.opts.log?.(`[streams] ${this.functionName}: ${String(err)}`);
      });
    }
    await Promise.all(this.shards.values());
  }

  private async readShard(shardId: string, iterator: string | undefined): Promise<void> {
    const batchSize = this.trigger.batchSize ?? DEFAULT_STREAM_BATCH_SIZE;
    const windowMs = (this.trigger.maxBatchingWindowSeconds ?? 0) * 1000;
    let pending: DynamoDBRecord[] = [];
    let firstPendingAt = 0;
    let next = iterator;
    while (!this.signal.aborted && (next || pending.length > 0)) {
      if (next && pending.length < batchSize) {
        const { Records = [], NextShardIterator } = await this.opts.streams.send(
          new GetRecordsCommand({ ShardIterator: next, Limit: Math.min(1000, batchSize) }),
        );
        next = NextShardIterator;
        if (Records.length > 0 && pending.length === 0) firstPendingAt = Date.now();
        pending.push(...Records.map((r) => lambdaRecord(r, this.streamArn)));
      }
      const full = pending.length >= batchSize;
      const due = pending.length > 0 && Date.now() - firstPendingAt >= windowMs;
      if (full || due || (!next && pending.length > 0)) {
        const batch = pending.slice(0, batchSize);
        pending = pending.slice(batch.length);
        await this.deliver(shardId, batch);
        firstPendingAt = Date.now();
        continue;
      }
      await sleep(POLL_MS, undefined, { signal: this.signal }).catch(() => undefined);
    }
  }

  /** Delivers one batch until it succeeds or has used its retries (then: the on-failure destination). */
  private async deliver(shardId: string, batch: readonly DynamoDBRecord[]): Promise<void> {
    const maxRetries = this.trigger.retryAttempts ?? DEFAULT_STREAM_RETRY_ATTEMPTS;
    const bisect = this.trigger.bisectOnError ?? true;
    // Work list of sub-batches, in shard order; each keeps its own retry count (as bisected halves do).
    const work: { records: readonly DynamoDBRecord[]; attempts: number }[] = [
      { records: batch, attempts: 0 },
    ];
    while (work.length > 0 && !this.signal.aborted) {
      const current = work[0]!;
      const result = await this.opts
        .invoke(this.functionName, { Records: [...current.records] } satisfies DynamoDBStreamEvent)
        .catch((err: unknown) => {
          this.opts.log?.(`[streams] ${this.functionName} failed: ${String(err)}`);
          return { ok: false } as const;
        });
      const failedFrom = result.ok ? firstFailed(result.payload, current.records) : 'error';
      if (failedFrom === undefined) {
        work.shift();
        continue;
      }
      current.attempts++;
      if (current.attempts > maxRetries) {
        await this.sendToFailureDestination(shardId, current.records, current.attempts);
        work.shift();
        continue;
      }
      if (failedFrom === 'error') {
        if (bisect && current.records.length > 1) {
          const half = Math.ceil(current.records.length / 2);
          work.splice(
            0,
            1,
            { records: current.records.slice(0, half), attempts: current.attempts },
            { records: current.records.slice(half), attempts: current.attempts },
          );
        }
      } else {
        // Everything before the first failed record is done: retry from it.
        current.records = current.records.slice(failedFrom);
      }
      const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (current.attempts - 1));
      await sleep(backoff, undefined, { signal: this.signal }).catch(() => undefined);
    }
  }

  private async sendToFailureDestination(
    shardId: string,
    records: readonly DynamoDBRecord[],
    attempts: number,
  ): Promise<void> {
    const queueUrl = this.opts.queueUrls[this.trigger.onFailure];
    const first = records[0]?.dynamodb;
    const last = records[records.length - 1]?.dynamodb;
    // The shape of Lambda's on-failure record for a stream event source (metadata, not the records).
    const body = {
      requestContext: {
        requestId: crypto.randomUUID(),
        functionArn: `arn:aws:lambda:ap-south-1:000000000000:function:${this.functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
    this.opts.log?.(
      `[streams] ${this.functionName}: ${records.length} record(s) failed ${attempts} time(s); metadata sent to ${this.trigger.onFailure}`,
    );
    if (queueUrl)
      await this.opts.sqs
        .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }))
        .catch((err: unknown) => this.opts.log?.(`[streams] on-failure destination: ${String(err)}`));
  }
}

const arrival = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

/**
 * Index of the first record to retry, read as Lambda reads a stream answer: nothing, null or an empty list is
 * success (undefined); an answer that is not JSON or names a record outside the batch fails the batch ('error').
 */
export function firstFailed(
  payload: string | undefined,
  batch: readonly DynamoDBRecord[],
): number | 'error' | undefined {
  if (!payload) return undefined;
  let response: { batchItemFailures?: { itemIdentifier?: string }[] } | null;
  try {
    response = JSON.parse(payload) as typeof response;
  } catch {
    return 'error';
  }
  let lowest: number | undefined;
  for (const failure of response?.batchItemFailures ?? []) {
    const index = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failure?.itemIdentifier);
    if (index < 0) return 'error';
    lowest = lowest === undefined ? index : Math.min(lowest, index);
  }
  return lowest;
}

/** GetRecords' record → the record Lambda delivers (creation time in epoch seconds, the stream's ARN). */
export function lambdaRecord(record: StreamRecord, eventSourceARN: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'ap-south-1',
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: d.Keys as never,
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
    eventSourceARN,
  };
}

export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    region: 'ap-south-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
