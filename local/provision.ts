/**
 * Renders the app definition (lib/app) into the local engines: DynamoDB tables, S3 buckets, SQS queues
 * with their dead-letter queues, and the Cognito user pool with its app client and groups. Idempotent: re-running against engines that kept
 * their data (same dataDir) reuses what exists and only adds what is missing.
 */
import { getStageConfig } from '../lib/config/stages';
import { localSettings } from '../lib/app/settings';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
} from '../lib/app/queues';
import type { AppDef, BucketDef, IndexDef, KeyDef, QueueDef, TableDef, UserPoolDef } from '../lib/app/types';
import { localClients } from './engines/clients';
import { localStateMachineArns } from './stepfunctions/machines';
import type { EngineEndpoints, LocalResources } from './engines/types';

export interface ProvisionOptions {
  readonly stage: 'local';
  /** When set, a summary of what was provisioned is written to `<dataDir>/state.json`. */
  readonly dataDir?: string;
  /** Powertools log level for the functions; default env LOG_LEVEL, else the local stage's. */
  readonly logLevel?: string;
}

export const USER_POOL_NAME = 'zepto-local-users';
export const USER_POOL_CLIENT_NAME = 'zepto-local-app';

export const localTableName = (logical: string): string => `zepto-local-${logical}`;
export const localBucketName = (logical: string): string =>
  `zepto-local-${logical.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
export const localQueueName = (queue: Pick<QueueDef, 'name' | 'fifo'>, dlq = false): string =>
  `zepto-local-${queue.name}${dlq ? '-dlq' : ''}${queue.fifo ? '.fifo' : ''}`;

export async function provision(
  app: AppDef,
  endpoints: EngineEndpoints,
  opts: ProvisionOptions,
): Promise<LocalResources> {
  const clients = localClients(endpoints);
  const { dynamodb, s3, sqs, cognito } = clients;
  try {
    const [tableNames, bucketNames, queues, userPool] = await Promise.all([
      provisionTables(dynamodb, app.tables),
      provisionBuckets(s3, app.buckets),
      provisionQueues(sqs, app.queues ?? []),
      provisionUserPool(cognito, app.userPool),
    ]);
    const issuer = `${endpoints.cognito}/${userPool.id}`;
    const jwksUrl = `${issuer}/.well-known/jwks.json`;
    const stage = getStageConfig(opts.stage);
    const resources: LocalResources = {
      stage: opts.stage,
      tableNames,
      bucketNames,
      // Executions are started on the local Step Functions endpoint (local/stepfunctions), by these ARNs.
      stateMachineArns: localStateMachineArns(app),
      queueUrls: queues.urls,
      deadLetterQueueUrls: queues.deadLetterUrls,
      userPool,
      autoConfirmSignUp: stage.auth.autoConfirmSignUp,
      logLevel: opts.logLevel ?? process.env.LOG_LEVEL ?? stage.logLevel,
      settings: localSettings(stage),
      endpoints,
      issuer,
      jwksUrl,
      callerTokens: { issuer, jwks: await fetchJwks(jwksUrl) },
      // Functions that declare the cache get this; with no Redis they get nothing (pass-through cache).
      ...(endpoints.redis ? { cache: { endpoint: endpoints.redis, tls: false } } : {}),
      search: { engine: 'local', endpoint: endpoints.search },
    };
    if (opts.dataDir) {
      await mkdir(opts.dataDir, { recursive: true });
      await writeFile(join(opts.dataDir, 'state.json'), `${JSON.stringify(resources, null, 2)}\n`);
    }
    return resources;
  } finally {
    clients.destroy();
  }
}

// --- DynamoDB -------------------------------------------------------------------------------------------

async function provisionTables(
  client: DynamoDBClient,
  tables: readonly TableDef[],
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  await Promise.all(
    tables.map(async (table) => {
      const name = localTableName(table.name);
      names[table.name] = name;
      await provisionTable(client, table, name);
    }),
  );
  return names;
}

const keySchema = (pk: KeyDef, sk?: KeyDef): KeySchemaElement[] => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

const gsi = (index: IndexDef): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: keySchema(index.partitionKey, index.sortKey),
  Projection: { ProjectionType: 'ALL' },
});

function attributeDefinitions(keys: readonly (KeyDef | undefined)[]): AttributeDefinition[] {
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...byName.values()];
}

export async function provisionTable(
  client: DynamoDBClient,
  table: TableDef,
  tableName: string,
): Promise<void> {
  const indexes = table.indexes ?? [];
  const allKeys = [table.partitionKey, table.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(allKeys),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        ...(indexes.length ? { GlobalSecondaryIndexes: indexes.map(gsi) } : {}),
        ...(table.stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }
          : {}),
      }),
    );
  } catch (err) {
    if (!isNamed(err, 'ResourceInUseException')) throw err;
    await reconcileTable(client, table, tableName);
  }
  if (table.timeToLiveAttribute) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED')
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        }),
      );
  }
}

/** A persisted table from an older app definition: add GSIs and the stream it now declares. */
async function reconcileTable(client: DynamoDBClient, table: TableDef, tableName: string): Promise<void> {
  const { Table: existing } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((existing?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of table.indexes ?? []) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
      }),
    );
  }
  if (table.stream && !existing?.StreamSpecification?.StreamEnabled)
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
      }),
    );
}

// --- S3 -------------------------------------------------------------------------------------------------

async function provisionBuckets(
  client: S3Client,
  buckets: readonly BucketDef[],
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const bucket of buckets) {
    const name = localBucketName(bucket.name);
    names[bucket.name] = name;
    try {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    } catch (err) {
      if (!isNamed(err, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw err;
    }
    if (bucket.browserUploads)
      // Locally any origin may upload (the web app runs on whatever port); CDK sets the real origins.
      await client.send(
        new PutBucketCorsCommand({
          Bucket: name,
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedOrigins: ['*'],
                AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST'],
                AllowedHeaders: ['*'],
                ExposeHeaders: ['ETag'],
                MaxAgeSeconds: 3000,
              },
            ],
          },
        }),
      );
  }
  return names;
}

// --- SQS ------------------------------------------------------------------------------------------------

async function provisionQueues(
  client: SQSClient,
  queues: readonly QueueDef[],
): Promise<{ urls: Record<string, string>; deadLetterUrls: Record<string, string> }> {
  const urls: Record<string, string> = {};
  const deadLetterUrls: Record<string, string> = {};
  await Promise.all(
    queues.map(async (queue) => {
      const fifo: Record<string, string> = queue.fifo ? { FifoQueue: 'true' } : {};
      const dlqUrl = await ensureQueue(client, localQueueName(queue, true), {
        ...fifo,
        MessageRetentionPeriod: String(14 * 86_400),
      });
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
      );
      const deadLetterTargetArn = required(Attributes?.QueueArn, 'GetQueueAttributes returned no QueueArn');
      urls[queue.name] = await ensureQueue(client, localQueueName(queue), {
        ...fifo,
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
        MessageRetentionPeriod: String((queue.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn,
          maxReceiveCount: queue.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
        }),
      });
      deadLetterUrls[queue.name] = dlqUrl;
    }),
  );
  return { urls, deadLetterUrls };
}

/** Creates the queue, or (kept from an earlier run with other settings) brings its attributes up to date. */
async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return required(created.QueueUrl, 'CreateQueue returned no URL');
  } catch (err) {
    if (!isNamed(err, 'QueueNameExists', 'QueueAlreadyExists')) throw err;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    const url = required(QueueUrl, 'GetQueueUrl returned no URL');
    const { FifoQueue: _immutable, ...mutable } = attributes;
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: mutable }));
    return url;
  }
}

// --- Cognito --------------------------------------------------------------------------------------------

async function provisionUserPool(
  client: CognitoIdentityProviderClient,
  def: UserPoolDef,
): Promise<{ id: string; clientId: string }> {
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let poolId = pools.UserPools?.find((p) => p.Name === USER_POOL_NAME)?.Id;
  if (!poolId) {
    const created = await client.send(
      new CreateUserPoolCommand({
        PoolName: USER_POOL_NAME,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        // Declared like the real pool, but cognito-local does not enforce password policies.
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      }),
    );
    poolId = required(created.UserPool?.Id, 'CreateUserPool returned no id');
  }

  const clientSettings = {
    UserPoolId: poolId,
    ClientName: USER_POOL_CLIENT_NAME,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
  } as const satisfies Partial<UserPoolClientType>;
  const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === USER_POOL_CLIENT_NAME)?.ClientId;
  if (clientId) {
    await client.send(new UpdateUserPoolClientCommand({ ...clientSettings, ClientId: clientId }));
  } else {
    const created = await client.send(
      new CreateUserPoolClientCommand({ ...clientSettings, GenerateSecret: false }),
    );
    clientId = required(created.UserPoolClient?.ClientId, 'CreateUserPoolClient returned no id');
  }

  // cognito-local's CreateGroup overwrites an existing group, members included: only create missing ones.
  const existing = new Map(
    ((await client.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups ?? []).map((g) => [
      g.GroupName,
      g,
    ]),
  );
  for (const group of def.groups) {
    const current = existing.get(group.name);
    const input = {
      UserPoolId: poolId,
      GroupName: group.name,
      Description: group.description,
      Precedence: group.precedence,
    };
    if (!current) await client.send(new CreateGroupCommand(input));
    else if (current.Description !== group.description || current.Precedence !== group.precedence)
      await client.send(new UpdateGroupCommand(input));
  }
  return { id: poolId, clientId };
}

/** The pool's public keys, as CDK hands them to functions (the same document, as JSON). */
async function fetchJwks(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return JSON.stringify(await res.json());
}

// --- helpers --------------------------------------------------------------------------------------------

function isNamed(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}
