/**
 * Published part of the Orders table's order item (ADR 9): written only by the orders service
 * (functions/orders/adapters/items.ts), read by the exchanges service to check a request against what was
 * delivered. Changing this file changes a contract between services; keep it backwards compatible.
 *
 * Table `Orders`: partition key `orderId` (S). An order is `{orderId, customerId, storeId, status, lines:
 * [{productId, name, unit, quantity, unitPricePaise, linePaise}], history: [{status, at, by, ...}], ...}`;
 * `status` is one of PENDING_PAYMENT, CONFIRMED, PACKED, OUT_FOR_DELIVERY, DELIVERED, CANCELLED, and the
 * history entry with status DELIVERED says when it was delivered; `payment = {paymentId, status}` (written
 * by the payments service, published/order-payment.ts) names what an exchange's refund is taken from.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DeliveredOrderLine {
  readonly productId: string;
  readonly name: string;
  readonly unit: string;
  readonly quantity: number;
  readonly unitPricePaise: number;
}

export interface OrderForExchange {
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly status: string;
  readonly lines: readonly DeliveredOrderLine[];
  /** When it was delivered (ISO 8601); absent while it is not. */
  readonly deliveredAt?: string;
  /** The payment that paid for it (SUCCEEDED), which an exchange's refund comes out of. */
  readonly paymentId?: string;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function orderForExchangeFromItem(item: Record<string, unknown>): OrderForExchange {
  const history = Array.isArray(item.history) ? (item.history as Record<string, unknown>[]) : [];
  const delivered = history.find((h) => h.status === 'DELIVERED');
  const payment = item.payment as Record<string, unknown> | undefined;
  return {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    storeId: String(item.storeId),
    status: String(item.status),
    lines: (Array.isArray(item.lines) ? (item.lines as Record<string, unknown>[]) : []).map((l) => ({
      productId: String(l.productId),
      name: String(l.name),
      unit: String(l.unit),
      quantity: num(l.quantity),
      unitPricePaise: num(l.unitPricePaise),
    })),
    ...(item.status === 'DELIVERED' && typeof delivered?.at === 'string'
      ? { deliveredAt: delivered.at }
      : {}),
    ...(payment?.status === 'SUCCEEDED' && typeof payment.paymentId === 'string'
      ? { paymentId: payment.paymentId }
      : {}),
  };
}

/** The order as the exchanges service needs it (consistent read), or undefined. */
export async function readOrderForExchange(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
): Promise<OrderForExchange | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: { orderId },
      ConsistentRead: true,
      ProjectionExpression: 'orderId, customerId, storeId, #status, #lines, history, payment',
      ExpressionAttributeNames: { '#status': 'status', '#lines': 'lines' },
    }),
  );
  return Item && orderForExchangeFromItem(Item);
}
