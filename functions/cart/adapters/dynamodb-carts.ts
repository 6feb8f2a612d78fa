/** Carts on DynamoDB (published layout: functions/shared/published/cart.ts), conditional on version. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cartFromItem, cartItem, cartKey, type StoredCart } from '#shared/published/cart';
import type { CartRepository } from '../ports';

export class DynamoCartRepository implements CartRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<StoredCart | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: cartKey(userId), ConsistentRead: true }),
    );
    return Item && cartFromItem(Item);
  }

  async put(cart: StoredCart, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: cartItem(cart),
          ...(expectedVersion === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#userId)',
                ExpressionAttributeNames: { '#userId': 'userId' },
              }
            : {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': expectedVersion },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async delete(userId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: cartKey(userId) }));
  }
}
