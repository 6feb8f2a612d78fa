/** The reading side of the per-minute order counters (layout in functions/shared/published/store-load.ts). */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreLoadReader } from '../ports';

export class DynamoStoreLoadReader implements StoreLoadReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ordersBetween(storeId: string, fromMinute: string, toMinute: string): Promise<number> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'storeId = :s AND #minute BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#minute': 'minute', '#orders': 'orders' },
        ExpressionAttributeValues: { ':s': storeId, ':from': fromMinute, ':to': toMinute },
        ProjectionExpression: '#orders',
      }),
    );
    return Items.reduce((sum, i) => sum + (typeof i.orders === 'number' ? i.orders : 0), 0);
  }
}
