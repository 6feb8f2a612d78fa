/**
 * Orders on DynamoDB (layout: items.ts). Every stock movement is part of the transaction that changes the
 * order, conditioned on the line: a reservation needs `available >= quantity`, a release or a sale needs
 * `reserved >= quantity`, so neither count ever goes negative and no unit is sold twice.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isConditionFailure } from '#shared/aws/transaction-errors';
import { cartKey, type StoredCart } from '#shared/published/cart';
import { stockMoveUpdate } from '#shared/published/stock-moves';
import type { Order, OrderEvent, OrderLine, OrderStatus, StockEffect } from '../domain';
import type {
  OrdersRepository,
  Page,
  PageRequest,
  PlaceOutcome,
  Transition,
  TransitionOutcome,
} from '../ports';
import {
  EXPIRY_SHARD,
  eventsFromItem,
  INDEX,
  OUTBOX_SHARD,
  orderFromItem,
  orderItem,
  orderKey,
  storeStatusKey,
} from './items';

export interface OrdersTables {
  readonly orders: string;
  readonly inventory: string;
  /** Only checkout deletes the cart. */
  readonly carts?: string;
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export class DynamoOrdersRepository implements OrdersRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: OrdersTables,
  ) {}

  private stockUpdate(
    storeId: string,
    line: OrderLine,
    effect: Exclude<StockEffect, 'none'> | 'reserve',
    now: string,
  ): TransactItem {
    return stockMoveUpdate(this.tables.inventory, storeId, line, effect, now);
  }

  async place(order: Order, event: OrderEvent, cart: StoredCart): Promise<PlaceOutcome> {
    if (!this.tables.carts) throw new Error('This repository was built without the Carts table');
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tables.orders,
          Item: orderItem(order, event, Date.parse(order.createdAt)),
          ConditionExpression: 'attribute_not_exists(#orderId)',
          ExpressionAttributeNames: { '#orderId': 'orderId' },
        },
      },
      {
        Delete: {
          TableName: this.tables.carts,
          Key: cartKey(cart.userId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': cart.version },
        },
      },
      ...order.lines.map((line) => this.stockUpdate(order.storeId, line, 'reserve', order.createdAt)),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { placed: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[1] === 'ConditionalCheckFailed') return { placed: false, reason: 'cart-changed' };
      const short = order.lines
        .filter((_, i) => codes[i + 2] === 'ConditionalCheckFailed')
        .map((l) => l.productId);
      if (short.length > 0) return { placed: false, reason: 'short', productIds: short };
      if (codes[0] === 'ConditionalCheckFailed') throw new Error(`Order id ${order.orderId} already taken`);
      return { placed: false, reason: 'conflict' };
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.orders, Key: orderKey(orderId), ConsistentRead: true }),
    );
    return Item && orderFromItem(Item);
  }

  async transition(t: Transition): Promise<TransitionOutcome> {
    const { before, after, event } = t;
    const entry = after.history.at(-1);
    const sets = [
      '#status = :to',
      '#version = :newVersion',
      '#updatedAt = :now',
      '#history = list_append(#history, :entry)',
      '#storeStatus = :storeStatus',
      '#outbox.#eventId = :event',
      '#outboxShard = :outboxShard',
      '#outboxAtMs = if_not_exists(#outboxAtMs, :nowMs)',
    ];
    const names: Record<string, string> = {
      '#status': 'status',
      '#version': 'version',
      '#updatedAt': 'updatedAt',
      '#history': 'history',
      '#storeStatus': 'storeStatus',
      '#outbox': 'outbox',
      '#eventId': event.eventId,
      '#outboxShard': 'outboxShard',
      '#outboxAtMs': 'outboxAtMs',
      '#expiryShard': 'expiryShard',
      '#expiresAtMs': 'reservationExpiresAtMs',
    };
    const values: Record<string, unknown> = {
      ':from': before.status,
      ':version': before.version,
      ':to': after.status,
      ':newVersion': after.version,
      ':now': after.updatedAt,
      ':entry': [JSON.parse(JSON.stringify(entry))],
      ':storeStatus': storeStatusKey(after.storeId, after.status),
      ':event': JSON.parse(JSON.stringify(event)),
      ':outboxShard': OUTBOX_SHARD,
      ':nowMs': Date.parse(after.updatedAt),
    };
    if (after.cancellation) {
      sets.push('#cancellation = :cancellation');
      names['#cancellation'] = 'cancellation';
      values[':cancellation'] = after.cancellation;
    }
    if (after.refund) {
      sets.push('#refund = :refund');
      names['#refund'] = 'refund';
      values[':refund'] = after.refund;
    }
    let condition = '#status = :from AND #version = :version';
    if (t.expiredBy !== undefined) {
      condition += ' AND #expiresAtMs <= :expiredBy';
      values[':expiredBy'] = t.expiredBy;
    }
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.orders,
          Key: orderKey(before.orderId),
          // Leaving PENDING_PAYMENT drops the order from the sparse expiry index (a no-op otherwise).
          UpdateExpression: `SET ${sets.join(', ')} REMOVE #expiryShard, #expiresAtMs`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...(t.effect === 'none'
        ? []
        : before.lines.map((line) =>
            this.stockUpdate(before.storeId, line, t.effect as 'release' | 'sell', after.updatedAt),
          )),
    ];
    try {
      // A single-item write needs no transaction, but one code path keeps it simple to reason about.
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'stale';
      if (codes.some((c) => c === 'ConditionalCheckFailed'))
        // The order is as read, but a stock line does not hold the units it should: an invariant broke.
        throw new Error(`Order ${before.orderId}: a stock line does not hold its reserved units`);
      return 'conflict';
    }
  }

  private async page(
    index: string,
    key: { name: string; value: string },
    page: PageRequest,
  ): Promise<Page<Order>> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': key.name },
        ExpressionAttributeValues: { ':pk': key.value },
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ExclusiveStartKey: page.after
          ? { orderId: page.after.orderId, createdAt: page.after.createdAt, [key.name]: key.value }
          : undefined,
      }),
    );
    const orders = Items.map(orderFromItem);
    const items = orders.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items,
      next:
        orders.length > page.limit && last ? { createdAt: last.createdAt, orderId: last.orderId } : undefined,
    };
  }

  listByCustomer(customerId: string, page: PageRequest): Promise<Page<Order>> {
    return this.page(INDEX.byCustomer, { name: 'customerId', value: customerId }, page);
  }

  listByStore(storeId: string, status: OrderStatus | undefined, page: PageRequest): Promise<Page<Order>> {
    return status
      ? this.page(INDEX.byStoreStatus, { name: 'storeStatus', value: storeStatusKey(storeId, status) }, page)
      : this.page(INDEX.byStore, { name: 'storeId', value: storeId }, page);
  }

  async expiredReservations(nowMs: number, limit: number): Promise<readonly Order[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: INDEX.byExpiry,
        KeyConditionExpression: '#shard = :shard AND #at <= :now',
        ExpressionAttributeNames: { '#shard': 'expiryShard', '#at': 'reservationExpiresAtMs' },
        ExpressionAttributeValues: { ':shard': EXPIRY_SHARD, ':now': nowMs },
        Limit: limit,
      }),
    );
    return Items.map(orderFromItem);
  }

  async unpublished(beforeMs: number, limit: number) {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: INDEX.byOutbox,
        KeyConditionExpression: '#shard = :shard AND #at <= :before',
        ExpressionAttributeNames: { '#shard': 'outboxShard', '#at': 'outboxAtMs' },
        ExpressionAttributeValues: { ':shard': OUTBOX_SHARD, ':before': beforeMs },
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ orderId: String(item.orderId), events: eventsFromItem(item) }));
  }

  async markPublished(orderId: string, eventIds: readonly string[]): Promise<void> {
    const names = Object.fromEntries(eventIds.map((id, i) => [`#e${i}`, id]));
    // The common case (the outbox holds exactly these events, as right after a transition): remove them
    // and leave the sparse index in one write. Otherwise (another transition added an event meanwhile, or
    // an entry is already gone) the two steps below decide.
    if (eventIds.length > 0 && (await this.emptyOutbox(orderId, names))) return;
    const { Attributes } = eventIds.length
      ? await this.client.send(
          new UpdateCommand({
            TableName: this.tables.orders,
            Key: orderKey(orderId),
            UpdateExpression: `REMOVE ${Object.keys(names)
              .map((n) => `#outbox.${n}`)
              .join(', ')}`,
            ConditionExpression: 'attribute_exists(#orderId)',
            ExpressionAttributeNames: { '#outbox': 'outbox', '#orderId': 'orderId', ...names },
            ReturnValues: 'ALL_NEW',
          }),
        )
      : await this.client
          .send(
            new GetCommand({ TableName: this.tables.orders, Key: orderKey(orderId), ConsistentRead: true }),
          )
          .then((r) => ({ Attributes: r.Item }));
    if (!Attributes || eventsFromItem(Attributes).length > 0) return;
    // The outbox is empty: leave the sparse index, unless a transition added an event meanwhile.
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.orders,
          Key: orderKey(orderId),
          UpdateExpression: 'REMOVE #outboxShard, #outboxAtMs',
          ConditionExpression: 'size(#outbox) = :zero',
          ExpressionAttributeNames: {
            '#outbox': 'outbox',
            '#outboxShard': 'outboxShard',
            '#outboxAtMs': 'outboxAtMs',
          },
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Removes these outbox entries and the index keys if they are the whole outbox; false if not. */
  private async emptyOutbox(orderId: string, names: Record<string, string>): Promise<boolean> {
    const entries = Object.keys(names).map((n) => `#outbox.${n}`);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.orders,
          Key: orderKey(orderId),
          UpdateExpression: `REMOVE ${entries.join(', ')}, #outboxShard, #outboxAtMs`,
          ConditionExpression: [
            'attribute_exists(#orderId)',
            'size(#outbox) = :n',
            ...entries.map((e) => `attribute_exists(${e})`),
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#outbox': 'outbox',
            '#orderId': 'orderId',
            '#outboxShard': 'outboxShard',
            '#outboxAtMs': 'outboxAtMs',
            ...names,
          },
          ExpressionAttributeValues: { ':n': entries.length },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
