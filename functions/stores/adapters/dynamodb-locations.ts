/** Saved customer locations (layout published in functions/shared/published/saved-location.ts). */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  savedLocationFromItem,
  savedLocationItem,
  savedLocationKey,
  type SavedLocation,
} from '#shared/published/saved-location';
import type { LocationRepository } from '../ports';

export class DynamoLocationRepository implements LocationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(location: SavedLocation): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: savedLocationItem(location) }));
  }

  async get(userId: string): Promise<SavedLocation | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: savedLocationKey(userId) }),
    );
    return Item && savedLocationFromItem(Item);
  }
}
