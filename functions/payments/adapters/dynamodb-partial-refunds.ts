/**
 * Part refunds of payments on DynamoDB (layout: items.ts, `REFUND#<paymentId>#<exchangeId>`). Opening one
 * is one transaction of its put (once per exchange) and the payment's `refundedPaise` (only while the
 * payment is SUCCEEDED, never past the amount charged); settling it is one transaction of its status and
 * the exchange's refund (published layout functions/shared/published/exchange-refund.ts), so the two never
 * disagree and a redelivered outcome changes nothing.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isConditionFailure } from '#shared/aws/transaction-errors';
import { settleExchangeRefund } from '#shared/published/exchange-refund';
import type { PartialRefund, Payment } from '../domain';
import type { PartialRefundsRepository } from '../ports';
import {
  OPEN_PART_REFUND_SHARD,
  openItemsQuery,
  partialRefundFromItem,
  partialRefundItem,
  partialRefundKey,
  paymentKey,
} from './items';

export interface PartialRefundTables {
  readonly payments: string;
  /** Only the functions that settle part refunds are given Exchanges. */
  readonly exchanges: string;
}

export class DynamoPartialRefunds implements PartialRefundsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: PartialRefundTables,
  ) {}

  async get(paymentId: string, exchangeId: string): Promise<PartialRefund | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.payments,
        Key: partialRefundKey(paymentId, exchangeId),
        ConsistentRead: true,
      }),
    );
    return Item && Item.entity === 'PartialRefund' ? partialRefundFromItem(Item) : undefined;
  }

  async open(
    payment: Payment,
    request: { readonly exchangeId: string; readonly amountPaise: number },
    at: string,
  ): Promise<PartialRefund | 'refused'> {
    const refund: PartialRefund = {
      paymentId: payment.paymentId,
      exchangeId: request.exchangeId,
      orderId: payment.orderId,
      customerId: payment.customerId,
      amountPaise: request.amountPaise,
      status: 'PENDING',
      attempts: 0,
      requestedAt: at,
      updatedAt: at,
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.payments,
                Item: partialRefundItem(refund),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tables.payments,
                Key: paymentKey(payment.paymentId),
                UpdateExpression: 'SET #refunded = if_not_exists(#refunded, :zero) + :amount',
                ConditionExpression:
                  '#status = :succeeded AND (attribute_not_exists(#refunded) OR #refunded <= :max)',
                ExpressionAttributeNames: { '#refunded': 'refundedPaise', '#status': 'status' },
                ExpressionAttributeValues: {
                  ':zero': 0,
                  ':amount': request.amountPaise,
                  ':succeeded': 'SUCCEEDED',
                  ':max': payment.amountPaise - request.amountPaise,
                },
              },
            },
          ],
        }),
      );
      return refund;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      // Opened before (a redelivered request): carry on with that one.
      if (codes[0] === 'ConditionalCheckFailed')
        return (await this.get(payment.paymentId, request.exchangeId)) ?? 'refused';
      if (codes[1] === 'ConditionalCheckFailed') return 'refused';
      throw error;
    }
  }

  async startAttempt(refund: PartialRefund, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tables.payments,
        Key: partialRefundKey(refund.paymentId, refund.exchangeId),
        UpdateExpression: 'SET #updatedAt = :at, #since = :atMs ADD #attempts :one',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#updatedAt': 'updatedAt',
          '#since': 'openSinceMs',
          '#attempts': 'attempts',
          '#status': 'status',
        },
        ExpressionAttributeValues: { ':at': at, ':atMs': Date.parse(at), ':one': 1, ':pending': 'PENDING' },
      }),
    );
  }

  async recordFailure(refund: PartialRefund, reason: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.payments,
          Key: partialRefundKey(refund.paymentId, refund.exchangeId),
          UpdateExpression: 'SET #updatedAt = :at, #since = :atMs, #reason = :reason',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: {
            '#updatedAt': 'updatedAt',
            '#since': 'openSinceMs',
            '#reason': 'failureReason',
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ':at': at,
            ':atMs': Date.parse(at),
            ':reason': reason,
            ':pending': 'PENDING',
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async markRefunded(refund: PartialRefund, providerReference: string, at: string): Promise<boolean> {
    const own = {
      Update: {
        TableName: this.tables.payments,
        Key: partialRefundKey(refund.paymentId, refund.exchangeId),
        // Settled: out of the reconciliation's index.
        UpdateExpression:
          'SET #status = :refunded, #updatedAt = :at, #reference = :reference REMOVE #reason, #shard, #since',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#updatedAt': 'updatedAt',
          '#reference': 'providerReference',
          '#reason': 'failureReason',
          '#shard': 'openShard',
          '#since': 'openSinceMs',
        },
        ExpressionAttributeValues: {
          ':refunded': 'REFUNDED',
          ':pending': 'PENDING',
          ':at': at,
          ':reference': providerReference,
        },
      },
    };
    const exchange = settleExchangeRefund(this.tables.exchanges, refund.exchangeId, {
      providerReference,
      at,
    });
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [own, exchange] }));
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return false;
      if (codes[1] !== 'ConditionalCheckFailed') throw error;
    }
    // The exchange shows no refund pending (it cannot move on from REPLACEMENT_UNAVAILABLE, so it was
    // settled before, or never asked for this): the money went back, so the refund record says so.
    try {
      await this.client.send(new UpdateCommand(own.Update));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async stale(beforeMs: number, limit: number): Promise<readonly PartialRefund[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand(openItemsQuery(this.tables.payments, OPEN_PART_REFUND_SHARD, beforeMs, limit)),
    );
    return Items.map(partialRefundFromItem);
  }
}
