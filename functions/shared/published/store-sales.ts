/**
 * Published item layout of the StoreSales table (ADR 9): units sold per store, product and day. Written by
 * the orders service when an order goes out for delivery (the reservation becomes a sale), read by the
 * catalogue's cache warm-up to warm each store's best sellers first.
 *
 * Table `StoreSales`: partition key `storeId` (S), sort key `sk` (S, `YYYY-MM-DD#<productId>`, the UTC day),
 * attributes `units` (N) and `expiresAt` (N, epoch seconds; the table's TTL attribute, a day after the
 * ranking window).
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Days of sales a ranking counts (today included). */
export const SALES_WINDOW_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
export const storeSalesKey = (storeId: string, day: string, productId: string) => ({
  storeId,
  sk: `${day}#${productId}`,
});

/**
 * Adds each line's units to the store's count for the day of `at` (one atomic ADD per line, in parallel;
 * an order holds at most 50 lines).
 */
export async function recordSales(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  at: Date,
  lines: readonly { readonly productId: string; readonly quantity: number }[],
): Promise<void> {
  const day = dayOf(at);
  const expiresAt = Math.floor(at.getTime() / 1000) + (SALES_WINDOW_DAYS + 1) * 24 * 60 * 60;
  await Promise.all(
    lines.map((line) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: storeSalesKey(storeId, day, line.productId),
          UpdateExpression: 'ADD #units :n SET #expiresAt = if_not_exists(#expiresAt, :ttl)',
          ExpressionAttributeNames: { '#units': 'units', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':n': line.quantity, ':ttl': expiresAt },
        }),
      ),
    ),
  );
}

/**
 * The store's best sellers over the last `days` days up to `now`, most units first (ties by product id),
 * at most `limit`; empty when it sold nothing. One Query over the window (a few items per product and day).
 */
export async function readTopSellers(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  request: { readonly limit: number; readonly now: Date; readonly days?: number },
): Promise<string[]> {
  const days = request.days ?? SALES_WINDOW_DAYS;
  const from = dayOf(new Date(request.now.getTime() - (days - 1) * DAY_MS));
  const units = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'storeId = :s AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':s': storeId, ':from': `${from}#`, ':to': `${dayOf(request.now)}#~` },
        ProjectionExpression: 'sk, #units',
        ExpressionAttributeNames: { '#units': 'units' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const productId = String(item.sk).slice(11);
      units.set(productId, (units.get(productId) ?? 0) + (typeof item.units === 'number' ? item.units : 0));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return [...units]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, request.limit)
    .map(([productId]) => productId);
}
