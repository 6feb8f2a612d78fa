/** Stores and their H3 cell index on DynamoDB (layout in ./items.ts). */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { storeErrors, type StaffRole, type Store } from '../domain/store';
import type { StorePage, StoreRepository } from '../ports';
import { STORE_PARTITION, cellItem, cellPartition, keys, storeFromItem, storeItem } from './items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const isCancelled = (e: unknown): e is TransactionCanceledException =>
  e instanceof Error && e.name === 'TransactionCanceledException';

export class DynamoStoreRepository implements StoreRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getStore(id: string): Promise<Store | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.store(id), ConsistentRead: true }),
    );
    return Item && storeFromItem(Item);
  }

  async createStore(store: Store): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: storeItem(store),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...store.cells.map((cell) => ({ Put: { TableName: this.tableName, Item: cellItem(cell, store.id) } })),
    ];
    await this.transact(items, () => storeErrors.changedMeanwhile());
  }

  async updateStore(before: Store, after: Store): Promise<void> {
    const old = new Set(before.cells);
    const now = new Set(after.cells);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: storeItem(after),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': before.version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...before.cells
        .filter((c) => !now.has(c))
        .map((cell) => ({ Delete: { TableName: this.tableName, Key: keys.cell(cell, before.id) } })),
      ...after.cells
        .filter((c) => !old.has(c))
        .map((cell) => ({ Put: { TableName: this.tableName, Item: cellItem(cell, after.id) } })),
    ];
    await this.transact(items, (error) =>
      error.CancellationReasons?.[0]?.Item ? storeErrors.changedMeanwhile() : storeErrors.notFound(before.id),
    );
  }

  async listStores(page: { readonly limit: number; readonly after?: string }): Promise<StorePage> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': STORE_PARTITION },
        ExclusiveStartKey: page.after ? keys.store(page.after) : undefined,
        Limit: page.limit + 1,
      }),
    );
    const stores = Items.map(storeFromItem);
    const items = stores.slice(0, page.limit);
    return { items, next: stores.length > page.limit ? items.at(-1)?.id : undefined };
  }

  async setStaff(storeId: string, userId: string, role: StaffRole | undefined, now: string): Promise<Store> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.store(storeId),
          UpdateExpression: role
            ? 'SET #staff.#user = :role, #updatedAt = :now ADD #version :one'
            : 'REMOVE #staff.#user SET #updatedAt = :now ADD #version :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#staff': 'staff',
            '#user': userId,
            '#updatedAt': 'updatedAt',
            '#version': 'version',
          },
          ExpressionAttributeValues: { ...(role ? { ':role': role } : {}), ':now': now, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return storeFromItem(Attributes!);
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException')
        throw storeErrors.notFound(storeId);
      throw error;
    }
  }

  async storesInCell(cell: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': cellPartition(cell) },
          ProjectionExpression: 'sk',
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(page.Items ?? []).map((i) => String(i.sk)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  async getStores(ids: readonly string[]): Promise<Store[]> {
    const found: Store[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keysLeft: Record<string, unknown>[] = ids.slice(i, i + 100).map((id) => keys.store(id));
      for (let attempt = 0; keysLeft.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(500, 10 * 2 ** attempt) * Math.random());
        if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed');
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keysLeft } } }),
        );
        found.push(...(Responses?.[this.tableName] ?? []).map(storeFromItem));
        keysLeft = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  private async transact(
    items: TransactItem[],
    onConditionFailed: (error: TransactionCanceledException) => Error,
  ): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isCancelled(error)) throw error;
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (codes.includes('ConditionalCheckFailed')) throw onConditionFailed(error);
      throw storeErrors.changedMeanwhile();
    }
  }
}
