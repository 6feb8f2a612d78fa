/**
 * Helpers of the inventory import tests: catalogue SKUs, stores with a merchant, uploads into the S3
 * engine with the S3 event they cause, and the InventoryImport machine run locally on the real handlers
 * behind a Step Functions endpoint the validator calls through the real SDK client.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { productSkuKey } from '../../../functions/shared/published/product-sku';
import { testClients, testResources } from '../../support/engines';
import { asTask, startLocalMachine, type LocalMachine, type TaskHandler } from '../../support/step-functions';
import { newStore } from '../stores/helpers';

export const resources = testResources();
export const clients = testClients(resources);
export const documents = DynamoDBDocumentClient.from(clients.dynamodb);
export const bucket = resources.bucketNames.InventoryImports!;
/**
 * The pipeline tests drive the validator and the machine themselves, in a bucket of their own: the app's
 * bucket notifies the real bundled validator (the global setup runs the app's S3 triggers), which would
 * race them for every file.
 */
export const pipelineBucket = `zepto-test-imports-${randomUUID().slice(0, 8)}`;
export const MACHINE_FILE = 'statemachines/inventory-import.asl.json';

export type Handler = (event: unknown, context: never) => Promise<unknown>;

/** Every Task function of the machine → its real handler module. */
const TASK_MODULES: Record<string, string> = {
  ApplyImportChunk: 'apply-chunk',
  WarmImportCache: 'warm-cache',
  WriteImportReport: 'write-report',
  CompleteImport: 'complete-import',
  FailImport: 'fail-import',
  NotifyImport: 'notify-import',
};

export interface Pipeline {
  readonly machine: LocalMachine;
  readonly validator: Handler;
  readonly tasks: Record<string, Handler>;
  /** The notification requests the machine enqueued so far (read from this file's own queue). */
  notifications(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Starts the local machine, then loads the validator with its ARN and endpoint in the environment (as the
 * platform gives them to the function), in this test file's module registry.
 */
export async function startPipeline(): Promise<Pipeline> {
  // The notifications go to a queue of this file's own, so other tests reading NotificationRequests never
  // see them; the Task sends to it as to the app's queue (NOTIFICATION_REQUESTS_QUEUE_URL).
  const { QueueUrl: queueUrl } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: `imports-notifications-${randomUUID().slice(0, 8)}` }),
  );
  process.env.NOTIFICATION_REQUESTS_QUEUE_URL = queueUrl!;
  await clients.s3.send(new CreateBucketCommand({ Bucket: pipelineBucket }));
  process.env.INVENTORY_IMPORTS_BUCKET_NAME = pipelineBucket;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const load = (name: string) =>
    (require(`../../../functions/imports/handlers/${name}`) as { handler: Handler }).handler;
  const tasks = Object.fromEntries(Object.entries(TASK_MODULES).map(([fn, file]) => [fn, load(file)]));
  const handlers: Record<string, TaskHandler> = Object.fromEntries(
    Object.entries(tasks).map(([fn, h]) => [fn, asTask(h as never, fn)]),
  );
  const machine = await startLocalMachine(MACHINE_FILE, 'InventoryImport', handlers, {
    ApplyChunk: 0,
    WarmChunkCache: 0,
    WriteReport: 0,
    RecordResult: 0,
    RecordFailure: 0,
    NotifyMerchant: 0,
    NotifyFailure: 0,
  });
  process.env.INVENTORY_IMPORT_STATE_MACHINE_ARN = machine.arn;
  process.env.AWS_ENDPOINT_URL_SFN = machine.endpoint;
  const validator = load('validate-upload');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const seen: Record<string, unknown>[] = [];
  return {
    machine,
    validator,
    tasks,
    async notifications() {
      for (;;) {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return seen;
        for (const m of Messages) {
          seen.push(JSON.parse(m.Body!) as Record<string, unknown>);
          await clients.sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }),
          );
        }
      }
    },
    close: () => machine.close(),
  };
}

/** `n` products known to the catalogue (their SKU guards), SKU → product id. */
export async function catalogueSkus(n: number): Promise<Map<string, string>> {
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const skus = new Map<string, string>();
  for (let i = 0; i < n; i++) skus.set(`T${tag}-${String(i).padStart(6, '0')}`, ulid());
  const items = [...skus].map(([sku, productId]) => ({
    ...productSkuKey(sku),
    entity: 'ProductSku',
    productId,
  }));
  for (let i = 0; i < items.length; i += 25) {
    let pending = {
      [resources.tableNames.Catalog!]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (Object.keys(pending).length > 0) {
      const out = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = (out.UnprocessedItems ?? {}) as typeof pending;
    }
  }
  return skus;
}

/** A store owned by a fresh merchant. */
export async function merchantStore() {
  const merchantId = randomUUID();
  const store = await newStore({ merchantId });
  return {
    storeId: store.id as string,
    merchantId,
    merchant: { userId: merchantId, roles: ['merchant' as const] },
  };
}

export const uploadKeyFor = (merchantId: string, storeId: string, name = ulid()) =>
  `imports/${merchantId}/${storeId}/${name}.csv`;

/** Puts the file and returns the ObjectCreated event S3 would send (URL-encoded key, as S3 does). */
export async function upload(key: string, body: string | Buffer, at = new Date()): Promise<S3Event> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const put = await clients.s3.send(
    new PutObjectCommand({ Bucket: pipelineBucket, Key: key, Body: bytes, ContentType: 'text/csv' }),
  );
  return s3Event(key, (put.ETag ?? '').replaceAll('"', ''), bytes.length, at);
}

export function s3Event(key: string, eTag: string, size: number, at = new Date()): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'ap-south-1',
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'InventoryImports',
          bucket: {
            name: pipelineBucket,
            ownerIdentity: { principalId: 'local' },
            arn: `arn:aws:s3:::${pipelineBucket}`,
          },
          object: {
            key: encodeURIComponent(key).replaceAll('%2F', '/').replaceAll('%20', '+'),
            size,
            eTag,
            sequencer: '0',
          },
        },
      },
    ],
  };
}

export async function importRecord(importId: string) {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: resources.tableNames.InventoryImportRecords!,
      Key: { importId },
      ConsistentRead: true,
    }),
  );
  return Item;
}

export async function stockLine(storeId: string, productId: string) {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: resources.tableNames.Inventory!,
      Key: { storeId, productId },
      ConsistentRead: true,
    }),
  );
  return Item;
}

export async function auditOf(storeId: string, productId: string) {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: resources.tableNames.InventoryAudit!,
      KeyConditionExpression: 'line = :l',
      ExpressionAttributeValues: { ':l': `${storeId}#${productId}` },
    }),
  );
  return Items;
}

export const importIdOf = (key: string) =>
  key
    .split('/')
    .pop()!
    .replace(/\.csv$/, '');

export const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';
