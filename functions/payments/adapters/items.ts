/**
 * Item layout of the Payments table — the one place that knows it.
 *
 * Table `Payments`: partition key `pk` (S), four kinds of items:
 *
 * | `pk`                              | what                                                     |
 * | --------------------------------- | -------------------------------------------------------- |
 * | `PAYMENT#<paymentId>`             | a payment (domain.ts `Payment`)                            |
 * | `BREAKER#<provider>`              | the provider's circuit breaker, shared by every instance  |
 * | `WEBHOOK#<provider>#<eventId>`    | a webhook event seen (replays are ignored); TTL `expiresAt` |
 * | `REFUND#<paymentId>#<exchangeId>` | a part refund of a payment (domain.ts `PartialRefund`)     |
 *
 * While a payment is open (PENDING, PROCESSING, REFUND_PENDING) it carries `openShard = OPEN` and
 * `openSinceMs` (its last change): the sparse index `byOpen` the reconciliation reads. A part refund
 * carries `openShard = OPEN_PART_REFUND` the same way while it is PENDING.
 */
import type { PartialRefund, Payment } from '../domain';

export const OPEN_SHARD = 'OPEN';
export const OPEN_PART_REFUND_SHARD = 'OPEN_PART_REFUND';
export const OPEN_INDEX = 'byOpen';
/** Webhook event ids are remembered this long (providers retry for up to three days). */
export const WEBHOOK_MEMORY_SECONDS = 7 * 24 * 60 * 60;

/**
 * The query of the `byOpen` index for one shard: items open since at or before `beforeMs`, oldest first
 * (the reconciliation's payments, or its part refunds).
 */
export const openItemsQuery = (tableName: string, shard: string, beforeMs: number, limit: number) => ({
  TableName: tableName,
  IndexName: OPEN_INDEX,
  KeyConditionExpression: '#shard = :shard AND #since <= :before',
  ExpressionAttributeNames: { '#shard': 'openShard', '#since': 'openSinceMs' },
  ExpressionAttributeValues: { ':shard': shard, ':before': beforeMs },
  Limit: limit,
});

export const paymentKey = (paymentId: string) => ({ pk: `PAYMENT#${paymentId}` });
export const breakerKey = (provider: string) => ({ pk: `BREAKER#${provider}` });
export const partialRefundKey = (paymentId: string, exchangeId: string) => ({
  pk: `REFUND#${paymentId}#${exchangeId}`,
});
export const webhookKey = (provider: string, eventId: string) => ({ pk: `WEBHOOK#${provider}#${eventId}` });

export function paymentItem(payment: Payment): Record<string, unknown> {
  return {
    ...paymentKey(payment.paymentId),
    entity: 'Payment',
    ...JSON.parse(JSON.stringify(payment)),
    openShard: OPEN_SHARD,
    openSinceMs: Date.parse(payment.updatedAt),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function paymentFromItem(item: Record<string, unknown>): Payment {
  const refund = item.refund as Record<string, unknown> | undefined;
  return {
    paymentId: String(item.paymentId),
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    amountPaise: num(item.amountPaise),
    currency: 'INR',
    method: String(item.method) as Payment['method'],
    paymentToken: String(item.paymentToken),
    status: String(item.status) as Payment['status'],
    attempts: num(item.attempts),
    ...(str(item.failureReason) !== undefined ? { failureReason: str(item.failureReason) } : {}),
    ...(str(item.providerReference) !== undefined ? { providerReference: str(item.providerReference) } : {}),
    ...(num(item.refundedPaise) > 0 ? { refundedPaise: num(item.refundedPaise) } : {}),
    ...(refund
      ? {
          refund: {
            reason: String(refund.reason) as NonNullable<Payment['refund']>['reason'],
            attempts: num(refund.attempts),
            ...(str(refund.providerReference) !== undefined
              ? { providerReference: str(refund.providerReference) }
              : {}),
            ...(str(refund.failureReason) !== undefined ? { failureReason: str(refund.failureReason) } : {}),
          },
        }
      : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

export const partialRefundItem = (refund: PartialRefund): Record<string, unknown> => ({
  ...partialRefundKey(refund.paymentId, refund.exchangeId),
  entity: 'PartialRefund',
  ...JSON.parse(JSON.stringify(refund)),
  ...(refund.status === 'PENDING'
    ? { openShard: OPEN_PART_REFUND_SHARD, openSinceMs: Date.parse(refund.updatedAt) }
    : {}),
});

export function partialRefundFromItem(item: Record<string, unknown>): PartialRefund {
  return {
    paymentId: String(item.paymentId),
    exchangeId: String(item.exchangeId),
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    amountPaise: num(item.amountPaise),
    status: item.status === 'REFUNDED' ? 'REFUNDED' : 'PENDING',
    attempts: num(item.attempts),
    ...(str(item.providerReference) !== undefined ? { providerReference: str(item.providerReference) } : {}),
    ...(str(item.failureReason) !== undefined ? { failureReason: str(item.failureReason) } : {}),
    requestedAt: String(item.requestedAt),
    updatedAt: String(item.updatedAt),
  };
}
