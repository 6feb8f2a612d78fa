/**
 * Published part of the Exchanges table's exchange item (ADR 9, ADR 20) as the payments service settles
 * it. The exchanges service owns the table (functions/exchanges/adapters/dynamodb-exchanges.ts); when an
 * approved exchange finds no replacement stock it becomes `REPLACEMENT_UNAVAILABLE` with
 * `refund = {status: 'PENDING', amountPaise, paymentId}` and asks payments for that part of the payment
 * (refund-request.ts, reason `EXCHANGE_UNAVAILABLE`). Payments makes exactly one write here, in the same
 * transaction as its own refund record: `refund.status` PENDING → REFUNDED with `refundedAt` and the
 * provider's reference. The status is terminal, so no exchange transition races it.
 */
import type { TransactUpdate } from './order-payment';

export function settleExchangeRefund(
  exchangesTable: string,
  exchangeId: string,
  settled: { readonly providerReference: string; readonly at: string },
): TransactUpdate {
  return {
    Update: {
      TableName: exchangesTable,
      Key: { exchangeId },
      UpdateExpression: 'SET #refund.#status = :refunded, #refund.#at = :at, #refund.#reference = :reference',
      ConditionExpression: '#refund.#status = :pending',
      ExpressionAttributeNames: {
        '#refund': 'refund',
        '#status': 'status',
        '#at': 'refundedAt',
        '#reference': 'providerReference',
      },
      ExpressionAttributeValues: {
        ':refunded': 'REFUNDED',
        ':pending': 'PENDING',
        ':at': settled.at,
        ':reference': settled.providerReference,
      },
    },
  };
}
