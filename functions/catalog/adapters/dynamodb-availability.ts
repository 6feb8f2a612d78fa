/**
 * The catalogue's readers of data other services publish (ADR 9): stock lines of the inventory service and
 * the saved-location store and the serving stores of the stores service. Read-only; the layouts live in functions/shared/published.
 */
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { savedLocationKey } from '#shared/published/saved-location';
import { stockFromItem, stockKey, type StockLine } from '#shared/published/stock';
import {
  isServingStoreItem,
  STORE_DIRECTORY_ATTRIBUTES,
  STORE_PARTITION,
} from '#shared/published/store-access';
import type { SavedStoreReader, StockReader, StoreDirectory } from '../ports';

const BATCH_GET_MAX = 100;
const MAX_ATTEMPTS = 8;

export class DynamoStockReader implements StockReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async linesFor(storeId: string, productIds: readonly string[]): Promise<Map<string, StockLine>> {
    const lines = new Map<string, StockLine>();
    const unique = [...new Set(productIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + BATCH_GET_MAX)
        .map((productId) => stockKey(storeId, productId));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error('BatchGetItem left stock keys unprocessed');
        if (attempt > 0) await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                ProjectionExpression: 'storeId, productId, available, reserved, version, updatedAt',
              },
            },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          const line = stockFromItem(item);
          lines.set(line.productId, line);
        }
        keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return lines;
  }
}

export class DynamoSavedStoreReader implements SavedStoreReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async storeOf(userId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: savedLocationKey(userId),
        ProjectionExpression: 'storeId',
      }),
    );
    return typeof Item?.storeId === 'string' ? Item.storeId : undefined;
  }
}

export class DynamoStoreDirectory implements StoreDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async servingStoreIds(): Promise<readonly string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': STORE_PARTITION },
          ExpressionAttributeNames: { '#status': 'status' },
          ProjectionExpression: STORE_DIRECTORY_ATTRIBUTES.join(', '),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) if (isServingStoreItem(item)) ids.push(String(item.sk));
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }
}
