/**
 * The catalogue's readers of data other services publish (ADR 9): stock lines of the inventory service and
 * the saved-location store and the serving stores of the stores service. Read-only; the layouts live in functions/shared/published.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  isServingStoreItem,
  STORE_DIRECTORY_ATTRIBUTES,
  STORE_PARTITION,
} from '#shared/published/store-access';
import type { StoreDirectory } from '../ports';

// The stock and saved-location readers are shared with the search service (functions/shared/published/readers.ts).
export { DynamoSavedStoreReader, DynamoStockReader } from '#shared/published/readers';

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
