/** Reads who may manage a store from the Stores table (published layout: shared/published/store-access.ts). */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  STORE_ACCESS_ATTRIBUTES,
  storeAccessFromItem,
  storeKey,
  type StoreAccess,
} from '#shared/published/store-access';
import type { StoreAccessReader } from '../ports';

export class DynamoStoreAccessReader implements StoreAccessReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getAccess(storeId: string): Promise<StoreAccess | undefined> {
    const names = Object.fromEntries(STORE_ACCESS_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: storeKey(storeId),
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      }),
    );
    return Item && storeAccessFromItem(Item);
  }
}
