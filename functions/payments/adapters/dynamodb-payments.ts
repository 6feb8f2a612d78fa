/**
 * Payments on DynamoDB (layout: items.ts), moving orders through the published layout
 * (functions/shared/published/order-payment.ts). Every settlement is one transaction of the payment's
 * conditional update (still open) and the order's conditional transition, so a payment and its order
 * never disagree, a redelivered outcome changes nothing, and a charge can never confirm an order that was
 * cancelled or whose reservation expired (that payment is marked owed back instead).
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isConditionFailure } from '#shared/aws/transaction-errors';
import {
  attachPayment,
  cancelOrderForPayment,
  confirmOrder,
  orderKey,
  PAYABLE_ORDER_ATTRIBUTES,
  payableOrderFromItem,
  setOrderPaymentStatus,
  type PayableOrder,
  type TransactUpdate,
} from '#shared/published/order-payment';
import type { ChargeOutcome, Payment, PaymentStatus, ProviderName } from '../domain';
import type { BreakerStateStore, BreakerSummary, PaymentsRepository, SettleOutcome } from '../ports';
import {
  breakerKey,
  openItemsQuery,
  OPEN_SHARD,
  paymentFromItem,
  paymentItem,
  paymentKey,
  WEBHOOK_MEMORY_SECONDS,
  webhookKey,
} from './items';

export interface PaymentsTables {
  readonly payments: string;
  readonly orders: string;
  readonly inventory: string;
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Concurrent transactions on the same order (a cancellation, the sweeper) are retried this often. */
const ATTEMPTS = 8;

const pause = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** attempt)));

export class DynamoPaymentsRepository implements PaymentsRepository, BreakerStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: PaymentsTables,
  ) {}

  /** An update of the payment item, conditional on its status being one of `from`. */
  private paymentUpdate(
    paymentId: string,
    from: readonly PaymentStatus[],
    set: Record<string, unknown>,
    opts: { readonly open: boolean; readonly remove?: readonly string[]; readonly add?: string } = {
      open: true,
    },
  ): TransactUpdate {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    Object.entries(set).forEach(([path, value], i) => {
      const parts = path.split('.').map((part, j) => {
        names[`#p${i}_${j}`] = part;
        return `#p${i}_${j}`;
      });
      sets.push(`${parts.join('.')} = :v${i}`);
      values[`:v${i}`] = value;
    });
    if (opts.add) {
      const parts = opts.add.split('.').map((part, j) => {
        names[`#a${j}`] = part;
        return `#a${j}`;
      });
      sets.push(`${parts.join('.')} = ${parts.join('.')} + :one`);
      values[':one'] = 1;
    }
    const removes = [...(opts.remove ?? [])].map((attr, i) => {
      names[`#r${i}`] = attr;
      return `#r${i}`;
    });
    if (opts.open) {
      names['#openShard'] = 'openShard';
      names['#openSinceMs'] = 'openSinceMs';
      values[':openShard'] = OPEN_SHARD;
      values[':openSinceMs'] = Date.parse(String(set.updatedAt));
      sets.push('#openShard = :openShard', '#openSinceMs = :openSinceMs');
    } else {
      names['#openShard'] = 'openShard';
      names['#openSinceMs'] = 'openSinceMs';
      removes.push('#openShard', '#openSinceMs');
    }
    const conditions = from.map((status, i) => {
      values[`:from${i}`] = status;
      return `#status = :from${i}`;
    });
    return {
      Update: {
        TableName: this.tables.payments,
        Key: paymentKey(paymentId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' OR '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private async transact(items: readonly TransactUpdate[] | readonly TransactItem[]) {
    await this.client.send(new TransactWriteCommand({ TransactItems: items as TransactItem[] }));
  }

  /** Runs the transaction; `false` when the payment's own condition (item 0) failed. */
  private async moveWithOrder(items: readonly TransactUpdate[]): Promise<boolean | 'order-changed'> {
    try {
      await this.transact(items);
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return false;
      if (codes[1] === 'ConditionalCheckFailed') return 'order-changed';
      if (codes.some((c) => c === 'ConditionalCheckFailed'))
        throw new Error('An order line does not hold its reserved units');
      return 'order-changed';
    }
  }

  async create(payment: Payment, nowMs: number): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await this.transact([
          {
            Put: {
              TableName: this.tables.payments,
              Item: paymentItem(payment),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          attachPayment(
            this.tables.orders,
            payment,
            { paymentId: payment.paymentId, status: 'PENDING' },
            nowMs,
          ),
        ] as TransactItem[]);
        return true;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (codes[1] === 'ConditionalCheckFailed') return false;
        if (codes[0] === 'ConditionalCheckFailed') throw new Error(`Payment id ${payment.paymentId} taken`);
        await pause(attempt);
      }
    }
    return false;
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.payments, Key: paymentKey(paymentId), ConsistentRead: true }),
    );
    return Item && Item.entity === 'Payment' ? paymentFromItem(Item) : undefined;
  }

  async order(orderId: string): Promise<PayableOrder | undefined> {
    const names = Object.fromEntries(PAYABLE_ORDER_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.orders,
        Key: orderKey(orderId),
        ConsistentRead: true,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      }),
    );
    return Item ? payableOrderFromItem(Item) : undefined;
  }

  private async withOrderStatus(payment: Payment, update: TransactUpdate, status: PaymentStatus, at: string) {
    // The order shows the status too; if it no longer names this payment, only the payment moves.
    const order = setOrderPaymentStatus(
      this.tables.orders,
      payment.orderId,
      { paymentId: payment.paymentId, status },
      { amountPaise: payment.amountPaise, at },
    );
    const moved = await this.moveWithOrder([update, order]);
    if (moved === 'order-changed') {
      try {
        await this.transact([update]);
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    }
    return moved;
  }

  async startAttempt(paymentId: string, at: string): Promise<Payment | undefined> {
    const payment = await this.get(paymentId);
    if (!payment) return undefined;
    const update = this.paymentUpdate(
      paymentId,
      ['PENDING', 'PROCESSING'],
      { status: 'PROCESSING', updatedAt: at },
      {
        open: true,
        add: 'attempts',
      },
    );
    if (payment.status === 'PENDING') await this.withOrderStatus(payment, update, 'PROCESSING', at);
    else
      await this.transact([update]).catch((error: unknown) => {
        if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      });
    return this.get(paymentId);
  }

  async recordFailure(paymentId: string, reason: string, at: string): Promise<void> {
    await this.transact([
      this.paymentUpdate(paymentId, ['PROCESSING'], { failureReason: reason, updatedAt: at }),
    ]).catch((error: unknown) => {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    });
  }

  async settle(paymentId: string, outcome: ChargeOutcome, at: string): Promise<SettleOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(attempt);
      const payment = await this.get(paymentId);
      if (!payment || (payment.status !== 'PENDING' && payment.status !== 'PROCESSING'))
        return 'already-settled';
      const order = await this.order(payment.orderId);
      const ours = order?.payment?.paymentId === paymentId && order.status === 'PENDING_PAYMENT';
      const summary = (status: PaymentStatus) => ({ paymentId, status });
      const reference = outcome.reference !== undefined ? { providerReference: outcome.reference } : {};
      if (outcome.outcome === 'succeeded') {
        const confirmable = ours && Date.parse(order.reservationExpiresAt) > Date.parse(at);
        if (confirmable) {
          const moved = await this.moveWithOrder([
            this.paymentUpdate(
              paymentId,
              ['PENDING', 'PROCESSING'],
              { status: 'SUCCEEDED', updatedAt: at, ...reference },
              { open: false, remove: ['failureReason'] },
            ),
            confirmOrder(this.tables.orders, order, summary('SUCCEEDED'), at),
          ]);
          if (moved === true) return 'confirmed';
          if (moved === false) return 'already-settled';
          continue; // the order moved meanwhile: read both again
        }
        // Too late: the order was cancelled or its reservation expired. The money is owed back.
        const owed = await this.withOrderStatus(
          payment,
          this.paymentUpdate(
            paymentId,
            ['PENDING', 'PROCESSING'],
            {
              status: 'REFUND_PENDING',
              updatedAt: at,
              refund: { reason: 'LATE_PAYMENT', attempts: 0 },
              ...reference,
            },
            { open: true, remove: ['failureReason'] },
          ),
          'REFUND_PENDING',
          at,
        );
        return owed ? 'refund-owed' : 'already-settled';
      }
      const failed = this.paymentUpdate(
        paymentId,
        ['PENDING', 'PROCESSING'],
        { status: 'FAILED', updatedAt: at, failureReason: outcome.reason, ...reference },
        { open: false },
      );
      if (ours) {
        const moved = await this.moveWithOrder([
          failed,
          ...cancelOrderForPayment(this.tables, order, summary('FAILED'), at),
        ]);
        if (moved === true) return 'failed';
        if (moved === false) return 'already-settled';
        continue;
      }
      return (await this.withOrderStatus(payment, failed, 'FAILED', at)) ? 'failed' : 'already-settled';
    }
    throw new Error(`Payment ${paymentId}: its order kept changing; try again`);
  }

  async markRefundPending(paymentId: string, reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT', at: string) {
    const payment = await this.get(paymentId);
    if (!payment) return false;
    return this.withOrderStatus(
      payment,
      this.paymentUpdate(paymentId, ['SUCCEEDED'], {
        status: 'REFUND_PENDING',
        updatedAt: at,
        refund: { reason, attempts: 0 },
      }),
      'REFUND_PENDING',
      at,
    );
  }

  async startRefundAttempt(paymentId: string, at: string): Promise<void> {
    await this.transact([
      this.paymentUpdate(
        paymentId,
        ['REFUND_PENDING'],
        { updatedAt: at },
        { open: true, add: 'refund.attempts' },
      ),
    ]);
  }

  async recordRefundFailure(paymentId: string, reason: string, at: string): Promise<void> {
    await this.transact([
      this.paymentUpdate(paymentId, ['REFUND_PENDING'], { 'refund.failureReason': reason, updatedAt: at }),
    ]).catch((error: unknown) => {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    });
  }

  async markRefunded(paymentId: string, reference: string, at: string): Promise<boolean> {
    const payment = await this.get(paymentId);
    if (!payment || payment.status !== 'REFUND_PENDING') return false;
    return this.withOrderStatus(
      payment,
      this.paymentUpdate(
        paymentId,
        ['REFUND_PENDING'],
        { status: 'REFUNDED', updatedAt: at, 'refund.providerReference': reference },
        { open: false },
      ),
      'REFUNDED',
      at,
    );
  }

  async stale(beforeMs: number, limit: number): Promise<readonly Payment[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand(openItemsQuery(this.tables.payments, OPEN_SHARD, beforeMs, limit)),
    );
    return Items.map(paymentFromItem);
  }

  async rememberEvent(provider: ProviderName, eventId: string, nowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.payments,
          Item: {
            ...webhookKey(provider, eventId),
            entity: 'WebhookEvent',
            receivedAt: new Date(nowMs).toISOString(),
            expiresAt: Math.floor(nowMs / 1000) + WEBHOOK_MEMORY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  // The shared breaker's state (BreakerStateStore).

  async read(provider: ProviderName) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.payments, Key: breakerKey(provider), ConsistentRead: true }),
    );
    if (!Item || typeof Item.state !== 'string') return undefined;
    return { state: JSON.parse(Item.state) as unknown, version: Number(Item.version) };
  }

  async write(provider: ProviderName, state: unknown, version: number, summary: BreakerSummary) {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.payments,
          Item: {
            ...breakerKey(provider),
            entity: 'Breaker',
            state: JSON.stringify(state),
            version: version + 1,
            ...summary,
            updatedAt: new Date().toISOString(),
          },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : '#version = :version',
          ...(version === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': version },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
