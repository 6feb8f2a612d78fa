/**
 * Readers of published layouts that more than one service needs (ADR 9): the stock lines of the inventory
 * service (`stock.ts`) and the store of a customer's saved location (`saved-location.ts`). Read-only; used by
 * the catalogue (availability) and search (availability and the `inStock` filter).
 */
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { savedLocationKey } from './saved-location';
import { stockFromItem, stockKey, type StockLine } from './stock';

const BATCH_GET_MAX = 100;
const MAX_ATTEMPTS = 8;

export class DynamoStockReader {
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

export class DynamoSavedStoreReader {
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
