/**
 * BatchGetItem of any number of keys of one table: chunks of 100, unprocessed keys retried with jittered
 * backoff (a key still unprocessed after 8 attempts fails the call rather than be reported missing).
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';

const BATCH_GET_MAX = 100;
const MAX_ATTEMPTS = 8;

export interface BatchGetOptions {
  /** Attribute names to project (each is sent as an expression attribute name, so reserved words pass). */
  readonly attributes?: readonly string[];
  readonly consistentRead?: boolean;
}

export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const names = options.attributes
    ? Object.fromEntries(options.attributes.map((a, i) => [`#a${i}`, a]))
    : undefined;
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_MAX);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem left keys of ${tableName} unprocessed`);
      if (attempt > 0) await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: options.consistentRead,
              ...(names
                ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }
                : {}),
            },
          },
        }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}
