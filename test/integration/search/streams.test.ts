/**
 * The local stream runner (local/streams.ts) against DynamoDB Local's streams API: records reach the
 * function in Lambda's DynamoDBStreamEvent shape, a partial batch failure is retried from the failed record
 * (and nothing before it again), and a batch that keeps failing ends in the on-failure queue.
 */
import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionDef } from '../../../lib/app/types';
import { localStreamsClient, startStreamPollers, type StreamPollers } from '../../../local/streams';
import { testClients, testResources } from '../../support/engines';

const { dynamodb, sqs } = testClients();
const streams = localStreamsClient(testResources().endpoints.dynamodb);
const tableName = `streams-test-${Date.now()}`;
let queueUrl: string;
let pollers: StreamPollers | undefined;

const consumer = (retryAttempts = 5): FunctionDef => ({
  name: 'Consumer',
  service: 'search',
  entry: 'unused.ts',
  description: 'test consumer',
  trigger: {
    kind: 'stream',
    table: 'Things',
    batchSize: 10,
    retryAttempts,
    bisectOnError: true,
    onFailure: 'Failures',
  },
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

const put = (id: string, n: number) =>
  dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id }, n: { N: String(n) } } }));

beforeAll(async () => {
  await (dynamodb as DynamoDBClient).send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  ({ QueueUrl: queueUrl = '' } = await (sqs as SQSClient).send(
    new CreateQueueCommand({ QueueName: `${tableName}-failures` }),
  ));
}, 30_000);

afterEach(async () => {
  await pollers?.stop();
  pollers = undefined;
});

afterAll(async () => {
  await dynamodb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  streams.destroy();
});

function start(fn: FunctionDef, invoke: (event: DynamoDBStreamEvent) => unknown) {
  return startStreamPollers([fn], {
    dynamodb,
    streams,
    sqs,
    tableNames: { Things: tableName },
    queueUrls: { Failures: queueUrl },
    invoke: async (_name, event) => {
      const payload = await invoke(event as DynamoDBStreamEvent);
      return { ok: true, payload: payload === undefined ? undefined : JSON.stringify(payload) };
    },
  });
}

describe('the local stream runner', () => {
  it('delivers inserts, changes and deletions in the DynamoDBStreamEvent shape', async () => {
    const seen: DynamoDBRecord[] = [];
    pollers = await start(consumer(), (event) => void seen.push(...event.Records));
    await put('a', 1);
    await put('a', 2);
    await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { id: { S: 'a' } } }));

    await until('three records', () => (seen.length >= 3 ? true : undefined));
    expect(seen.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(seen[1]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(tableName),
      dynamodb: {
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, n: { N: '2' } },
        OldImage: { id: { S: 'a' }, n: { N: '1' } },
        SequenceNumber: expect.any(String),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof seen[0]!.dynamodb!.ApproximateCreationDateTime).toBe('number');
  }, 60_000);

  it('retries from the first failed record and never again before it', async () => {
    const deliveries: string[][] = [];
    let failedOnce = false;
    pollers = await start(consumer(), (event) => {
      const ids = event.Records.map((r) => r.dynamodb!.NewImage!.id!.S!);
      deliveries.push(ids);
      const bad = event.Records.find((r) => r.dynamodb!.NewImage!.id!.S === 'r2');
      if (bad && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber }] };
      }
      return { batchItemFailures: [] };
    });
    for (const id of ['r1', 'r2', 'r3']) await put(id, 1);

    await until('r3 after the retry', () =>
      failedOnce &&
      deliveries.flat().filter((id) => id === 'r2').length === 2 &&
      deliveries.flat().includes('r3')
        ? true
        : undefined,
    );
    const all = deliveries.flat();
    expect(all.filter((id) => id === 'r1')).toHaveLength(1);
    expect(all.filter((id) => id === 'r2')).toHaveLength(2);
  }, 60_000);

  it('sends a batch that keeps failing to the on-failure queue and moves on', async () => {
    const delivered: string[] = [];
    pollers = await start(consumer(1), (event) => {
      const ids = event.Records.map((r) => r.dynamodb!.NewImage!.id!.S!);
      delivered.push(...ids);
      if (ids.includes('poison')) throw new Error('cannot index this');
      return undefined;
    });
    await put('poison', 1);
    await until('the poison record retried', () =>
      delivered.filter((id) => id === 'poison').length >= 2 ? true : undefined,
    );
    let body: Record<string, unknown> | undefined;
    const deadline = Date.now() + 30_000;
    while (!body && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
      );
      if (Messages[0]?.Body) body = JSON.parse(Messages[0].Body) as Record<string, unknown>;
    }
    expect(body).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: expect.stringContaining(tableName) },
    });
    // The shard moved on: a later record is delivered.
    await put('after', 1);
    await until('the next record', () => (delivered.includes('after') ? true : undefined));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
  }, 90_000);
});
