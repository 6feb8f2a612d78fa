/**
 * The Exchanges table — the one place that knows its layout.
 *
 * Partition key `exchangeId` (S). Two kinds of item:
 * - an exchange: the fields of domain.ts `Exchange`, `entity = 'Exchange'`, in the indexes `byOrder`
 *   (`orderId`, `createdAt`), `byStatus` (`status`, `createdAt`: the review queue) and `byCustomer`
 *   (`customerId`, `createdAt`: the recent-exchange count of the auto-approval rule);
 * - an order's claims: `exchangeId = CLAIMS#<orderId>`, `entity = 'ExchangeClaims'`, one number attribute
 *   `u_<productId>` per line: the units its exchanges claim. Not in any index (it has none of their keys).
 *   Each exchange's creation adds its units in the same transaction as its put, conditional on the sum
 *   staying within what was delivered; a rejection gives them back.
 *
 * An exchange's outbox (`outbox`: a map of messages by key, outbox.ts) holds what its changes still owe
 * (notifications, a refund request), written in the same write as the change; while it holds any, the
 * exchange carries `outboxShard = OUTBOX` and `outboxAtMs` (since when), the sparse index `byOutbox` the
 * relay reads.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isConditionFailure } from '#shared/aws/transaction-errors';
import { stockMoveUpdate } from '#shared/published/stock-moves';
import type { Exchange, ExchangeStatus } from '../domain';
import type { OutboxMessage } from '../outbox';
import type { ExchangeRepository, Page, PageRequest, StockEffect, TransitionOutcome } from '../ports';

export const INDEX = {
  byOrder: 'byOrder',
  byStatus: 'byStatus',
  byCustomer: 'byCustomer',
  byOutbox: 'byOutbox',
} as const;
const OUTBOX_SHARD = 'OUTBOX';

const claimsKey = (orderId: string) => ({ exchangeId: `CLAIMS#${orderId}` });
const UNITS_PREFIX = 'u_';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export const exchangeItem = (e: Exchange): Record<string, unknown> => ({
  ...(JSON.parse(JSON.stringify(e)) as Record<string, unknown>),
  entity: 'Exchange',
});

export function exchangeFromItem(item: Record<string, unknown>): Exchange {
  const { entity: _entity, outbox: _outbox, outboxShard: _shard, outboxAtMs: _at, ...fields } = item;
  return fields as unknown as Exchange;
}

const outboxFields = (messages: Readonly<Record<string, OutboxMessage>>, nowMs: number) => ({
  outbox: JSON.parse(JSON.stringify(messages)) as Record<string, unknown>,
  ...(Object.keys(messages).length > 0 ? { outboxShard: OUTBOX_SHARD, outboxAtMs: nowMs } : {}),
});

/** `units` of each line, summed per product (a request may not name a product twice, but be safe). */
const unitsByProduct = (lines: readonly { productId: string; quantity: number }[]) => {
  const units = new Map<string, number>();
  for (const l of lines) units.set(l.productId, (units.get(l.productId) ?? 0) + l.quantity);
  return units;
};

export class DynamoExchangeRepository implements ExchangeRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly exchanges: string; readonly inventory?: string },
  ) {}

  async get(exchangeId: string): Promise<Exchange | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.exchanges, Key: { exchangeId }, ConsistentRead: true }),
    );
    return Item && Item.entity === 'Exchange' ? exchangeFromItem(Item) : undefined;
  }

  async create(
    exchange: Exchange,
    delivered: ReadonlyMap<string, number>,
    messages: Readonly<Record<string, OutboxMessage>>,
  ): Promise<'created' | 'exceeded'> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':entity': 'ExchangeClaims' };
    const adds: string[] = [];
    const conditions: string[] = [];
    [...unitsByProduct(exchange.lines)].forEach(([productId, units], i) => {
      names[`#u${i}`] = `${UNITS_PREFIX}${productId}`;
      values[`:q${i}`] = units;
      // The claimed units before this request may be at most what was delivered less what it asks for.
      values[`:max${i}`] = (delivered.get(productId) ?? 0) - units;
      adds.push(`#u${i} :q${i}`);
      conditions.push(`(attribute_not_exists(#u${i}) OR #u${i} <= :max${i})`);
    });
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.exchanges,
                Item: {
                  ...exchangeItem(exchange),
                  ...outboxFields(messages, Date.parse(exchange.createdAt)),
                },
                ConditionExpression: 'attribute_not_exists(exchangeId)',
              },
            },
            {
              Update: {
                TableName: this.tables.exchanges,
                Key: claimsKey(exchange.orderId),
                UpdateExpression: `SET #entity = :entity ADD ${adds.join(', ')}`,
                ConditionExpression: conditions.join(' AND '),
                ExpressionAttributeNames: { ...names, '#entity': 'entity' },
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') return 'exceeded';
      if (codes?.[0] === 'ConditionalCheckFailed')
        throw new Error(`Exchange id ${exchange.exchangeId} taken`);
      throw error;
    }
  }

  async claims(orderId: string): Promise<Map<string, number>> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.exchanges, Key: claimsKey(orderId), ConsistentRead: true }),
    );
    const claims = new Map<string, number>();
    for (const [name, value] of Object.entries(Item ?? {}))
      if (name.startsWith(UNITS_PREFIX) && typeof value === 'number')
        claims.set(name.slice(UNITS_PREFIX.length), value);
    return claims;
  }

  async countSince(customerId: string, since: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.exchanges,
          IndexName: INDEX.byCustomer,
          KeyConditionExpression: 'customerId = :c AND createdAt >= :since',
          ExpressionAttributeValues: { ':c': customerId, ':since': since },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async listByStatus(status: ExchangeStatus, page: PageRequest): Promise<Page<Exchange>> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.exchanges,
        IndexName: INDEX.byStatus,
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
        // Oldest first: the review queue is worked in the order requests came in.
        ScanIndexForward: true,
        Limit: page.limit,
        ExclusiveStartKey: page.after && {
          exchangeId: page.after.exchangeId,
          status,
          createdAt: page.after.createdAt,
        },
      }),
    );
    const items = Items.map(exchangeFromItem);
    const last = items.at(-1);
    return {
      items,
      ...(LastEvaluatedKey && last
        ? { next: { createdAt: last.createdAt, exchangeId: last.exchangeId } }
        : {}),
    };
  }

  async listByOrder(orderId: string): Promise<Exchange[]> {
    const items: Exchange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.exchanges,
          IndexName: INDEX.byOrder,
          KeyConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': orderId },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []).map(exchangeFromItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async transition(t: {
    before: Exchange;
    after: Exchange;
    stock: StockEffect;
    releaseClaims?: boolean;
    messages: Readonly<Record<string, OutboxMessage>>;
  }): Promise<TransitionOutcome> {
    const { before, after } = t;
    // An update, not a put: messages of earlier changes still in the outbox must stay there.
    const names: Record<string, string> = { '#status': 'status', '#version': 'version', '#outbox': 'outbox' };
    const values: Record<string, unknown> = { ':from': before.status, ':version': before.version };
    const sets: string[] = [];
    Object.entries(exchangeItem(after)).forEach(([field, value], i) => {
      if (field === 'exchangeId') return;
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    Object.entries(t.messages).forEach(([key, message], i) => {
      names[`#m${i}`] = key;
      values[`:m${i}`] = JSON.parse(JSON.stringify(message));
      sets.push(`#outbox.#m${i} = :m${i}`);
    });
    if (Object.keys(t.messages).length > 0) {
      Object.assign(names, { '#shard': 'outboxShard', '#since': 'outboxAtMs' });
      Object.assign(values, { ':shard': OUTBOX_SHARD, ':now': Date.parse(after.updatedAt) });
      sets.push('#shard = :shard', '#since = if_not_exists(#since, :now)');
    }
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.exchanges,
          Key: { exchangeId: before.exchangeId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#status = :from AND #version = :version AND attribute_exists(#outbox)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
    if (t.stock !== 'none') {
      if (!this.tables.inventory) throw new Error('This repository was built without the Inventory table');
      const inventory = this.tables.inventory;
      for (const [productId, quantity] of unitsByProduct(before.lines))
        items.push(
          stockMoveUpdate(inventory, before.storeId, { productId, quantity }, t.stock, after.updatedAt),
        );
    }
    if (t.releaseClaims) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const adds: string[] = [];
      [...unitsByProduct(before.lines)].forEach(([productId, units], i) => {
        names[`#u${i}`] = `${UNITS_PREFIX}${productId}`;
        values[`:q${i}`] = -units;
        adds.push(`#u${i} :q${i}`);
      });
      items.push({
        Update: {
          TableName: this.tables.exchanges,
          Key: claimsKey(before.orderId),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'stale';
      if (codes.some((c) => c === 'ConditionalCheckFailed')) {
        if (t.stock === 'reserve') return 'short';
        // Reserved units a replacement held are gone: an invariant broke.
        throw new Error(`Exchange ${before.exchangeId}: a stock line does not hold its reserved units`);
      }
      // Another transaction touched the same items (TransactionConflict): the caller retries.
      return 'conflict';
    }
  }

  async markPublished(exchangeId: string, keys: readonly string[]): Promise<void> {
    if (keys.length > 0) {
      const names = Object.fromEntries(keys.map((k, i) => [`#k${i}`, k]));
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.exchanges,
          Key: { exchangeId },
          UpdateExpression: `REMOVE ${keys.map((_, i) => `#outbox.#k${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(#outbox)',
          ExpressionAttributeNames: { '#outbox': 'outbox', ...names },
        }),
      );
    }
    // The outbox is empty: leave the relay's index, unless a change added a message meanwhile.
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.exchanges,
          Key: { exchangeId },
          UpdateExpression: 'REMOVE #shard, #since',
          ConditionExpression: 'size(#outbox) = :zero AND attribute_exists(#shard)',
          ExpressionAttributeNames: { '#outbox': 'outbox', '#shard': 'outboxShard', '#since': 'outboxAtMs' },
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async unpublished(beforeMs: number, limit: number) {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.exchanges,
        IndexName: INDEX.byOutbox,
        KeyConditionExpression: '#shard = :shard AND #since <= :before',
        ExpressionAttributeNames: { '#shard': 'outboxShard', '#since': 'outboxAtMs' },
        ExpressionAttributeValues: { ':shard': OUTBOX_SHARD, ':before': beforeMs },
        Limit: limit,
      }),
    );
    // The index lags the table: a message sent a moment ago may come again (its key dedupes it downstream).
    return Items.map((item) => ({
      exchangeId: String(item.exchangeId),
      messages: (item.outbox ?? {}) as Record<string, OutboxMessage>,
    }));
  }
}
