/**
 * Published item layout of the StoreLoad table (ADR 9): orders per store per minute. Read by the stores
 * service (the load term of the delivery ETA); incremented by the orders service with
 * `incrementStoreLoad` when an order is placed (checkout).
 *
 * Table `StoreLoad`: partition key `storeId` (S), sort key `minute` (S, `YYYY-MM-DDTHH:MM` UTC), attributes
 * `orders` (N) and `expiresAt` (N, epoch seconds; the table's TTL attribute, one day after the minute).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const minuteOf = (at: Date): string => at.toISOString().slice(0, 16);

export const storeLoadKey = (storeId: string, minute: string) => ({ storeId, minute });

const TTL_SECONDS = 24 * 60 * 60;

/** Counts one order for the store in the minute of `at` (atomic ADD; creates the counter item). */
export async function incrementStoreLoad(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  at: Date,
  orders = 1,
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: storeLoadKey(storeId, minuteOf(at)),
      UpdateExpression: 'ADD #orders :n SET #expiresAt = if_not_exists(#expiresAt, :ttl)',
      ExpressionAttributeNames: { '#orders': 'orders', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':n': orders, ':ttl': Math.floor(at.getTime() / 1000) + TTL_SECONDS },
    }),
  );
}
