/**
 * Reads who may manage a store (the published layout is store-access.ts): the one reader the inventory,
 * imports and orders services share. Apart from the layout, so that mapping items costs no DynamoDB client.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STORE_ACCESS_ATTRIBUTES, storeAccessFromItem, storeKey, type StoreAccess } from './store-access';

const names = Object.fromEntries(STORE_ACCESS_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));

export async function readStoreAccess(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
): Promise<StoreAccess | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: storeKey(storeId),
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    }),
  );
  return Item && storeAccessFromItem(Item);
}

export class DynamoStoreAccessReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  getAccess(storeId: string): Promise<StoreAccess | undefined> {
    return readStoreAccess(this.client, this.tableName, storeId);
  }
}
