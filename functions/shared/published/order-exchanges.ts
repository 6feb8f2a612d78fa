/**
 * Published part of the Exchanges table (ADR 9): written only by the exchanges service, read by the orders
 * service to list an order's exchanges on the order. Index `byOrder` (partition `orderId`, sort `createdAt`)
 * holds every exchange item with `{exchangeId, status, createdAt}` among its attributes.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface OrderExchange {
  readonly exchangeId: string;
  readonly status: string;
  readonly createdAt: string;
}

/** The order's exchanges, oldest first (an order has a handful: its lines bound them). */
export async function readOrderExchanges(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
): Promise<OrderExchange[]> {
  const found: OrderExchange[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byOrder',
        KeyConditionExpression: 'orderId = :o',
        ExpressionAttributeValues: { ':o': orderId },
        ProjectionExpression: 'exchangeId, #status, createdAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? [])
      found.push({
        exchangeId: String(item.exchangeId),
        status: String(item.status),
        createdAt: String(item.createdAt),
      });
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
