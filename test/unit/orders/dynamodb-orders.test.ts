/** The checkout and transition transactions' cancellation reasons, mapped item by item (failure injection). */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoOrdersRepository } from '../../../functions/orders/adapters/dynamodb-orders';
import { eventOf, type Order } from '../../../functions/orders/domain';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' }));
const ddb = mockClient(documentClient);
const repository = new DynamoOrdersRepository(documentClient, { orders: 'o', inventory: 'i', carts: 'c' });
beforeEach(() => ddb.reset());

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const at = '2026-12-02T00:00:00.000Z';
const order: Order = {
  orderId: '01J0000000000000000000000A',
  customerId: 'u1',
  storeId: '01J0000000000000000000000S',
  status: 'PENDING_PAYMENT',
  lines: [
    { productId: 'P1', name: 'a', unit: '1 kg', quantity: 1, unitPricePaise: 100, linePaise: 100 },
    { productId: 'P2', name: 'b', unit: '1 kg', quantity: 2, unitPricePaise: 100, linePaise: 200 },
  ],
  subtotalPaise: 300,
  deliveryFeePaise: 0,
  totalPaise: 300,
  currency: 'INR',
  deliveryLocation: { lat: 1, lng: 2 },
  reservationExpiresAt: at,
  createdAt: at,
  updatedAt: at,
  version: 1,
  history: [{ status: 'PENDING_PAYMENT', at, by: 'customer' }],
};
const cart = { userId: 'u1', lines: [], version: 3, updatedAt: at, expiresAt: 0 };

describe('placing an order', () => {
  it('writes the order, the cart delete at its version and one conditional reservation per line', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(repository.place(order, eventOf(order, null), cart)).resolves.toEqual({ placed: true });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[1]!.Delete?.ExpressionAttributeValues).toEqual({ ':version': 3 });
    expect(items[2]!.Update?.ConditionExpression).toBe('attribute_exists(#productId) AND #available >= :q');
    expect(items[3]!.Update?.ExpressionAttributeValues?.[':q']).toBe(2);
  });

  it('names the short lines when their conditions fail', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'None', 'ConditionalCheckFailed'));
    await expect(repository.place(order, eventOf(order, null), cart)).resolves.toEqual({
      placed: false,
      reason: 'short',
      productIds: ['P2'],
    });
  });

  it('tells a changed cart and a conflicting transaction apart', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'None', 'TransactionConflict', 'None'));
    await expect(repository.place(order, eventOf(order, null), cart)).resolves.toMatchObject({
      reason: 'cart-changed',
    });
    await expect(repository.place(order, eventOf(order, null), cart)).resolves.toMatchObject({
      reason: 'conflict',
    });
  });
});

describe('a transition', () => {
  const after: Order = {
    ...order,
    status: 'CANCELLED',
    version: 2,
    history: [...order.history, { status: 'CANCELLED', at, by: 'system', reason: 'RESERVATION_EXPIRED' }],
  };
  const transition = {
    before: order,
    after,
    effect: 'release' as const,
    event: eventOf(after, 'PENDING_PAYMENT'),
  };

  it('is stale when the order condition fails, and a conflict otherwise', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'));
    await expect(repository.transition(transition)).resolves.toBe('stale');
    await expect(repository.transition(transition)).resolves.toBe('conflict');
  });

  it('fails loudly when a stock line does not hold the units it should (never drives reserved negative)', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'));
    await expect(repository.transition(transition)).rejects.toThrow(/does not hold its reserved units/);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[1]!.Update?.ConditionExpression).toBe('attribute_exists(#productId) AND #reserved >= :q');
    expect(items[0]!.Update?.UpdateExpression).toContain('REMOVE #expiryShard, #expiresAtMs');
  });
});
