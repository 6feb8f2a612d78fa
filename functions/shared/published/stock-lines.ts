/**
 * Reading stock lines in batches (the published layout is stock.ts). Apart from it, so that a function
 * that only names cache entries or maps items (an import Task, say) bundles no DynamoDB client.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-get';
import { stockFromItem, stockKey, type StockLine } from './stock';

/** The lines of `productIds` at one store, by product id (a product without a line is absent). */
export async function readStockLines(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  productIds: readonly string[],
  options: { readonly consistentRead?: boolean } = {},
): Promise<Map<string, StockLine>> {
  const items = await batchGetAll(
    client,
    tableName,
    [...new Set(productIds)].map((productId) => stockKey(storeId, productId)),
    { attributes: ['storeId', 'productId', 'available', 'reserved', 'version', 'updatedAt'], ...options },
  );
  return new Map(items.map((item) => [String(item.productId), stockFromItem(item)]));
}
