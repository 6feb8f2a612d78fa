/**
 * The published StoreSales layout against DynamoDB Local: what the orders service records at dispatch and
 * the catalogue's warm-up ranks by.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  readTopSellers,
  recordSales,
  SALES_WINDOW_DAYS,
} from '../../../functions/shared/published/store-sales';
import { destroyClients, documents, resources } from './fixtures';

afterAll(destroyClients);
const table = resources.tableNames.StoreSales!;
const DAY = 24 * 60 * 60 * 1000;

describe('store sales (published layout)', () => {
  it('ranks a store’s products by units over the window, most first, ties by id, at most the limit', async () => {
    const store = randomUUID();
    const now = new Date('2026-12-02T10:00:00Z');
    const [a, b, c, d] = ['01AAA', '01BBB', '01CCC', '01DDD'];
    await recordSales(documents, table, store, now, [
      { productId: a!, quantity: 1 },
      { productId: b!, quantity: 3 },
    ]);
    // Yesterday's units add up with today's; a sale before the window does not count.
    await recordSales(documents, table, store, new Date(now.getTime() - DAY), [
      { productId: a!, quantity: 2 },
      { productId: c!, quantity: 3 },
    ]);
    await recordSales(documents, table, store, new Date(now.getTime() - SALES_WINDOW_DAYS * DAY), [
      { productId: d!, quantity: 50 },
    ]);
    // Another store's sales are its own.
    await recordSales(documents, table, randomUUID(), now, [{ productId: d!, quantity: 9 }]);

    expect(await readTopSellers(documents, table, store, { limit: 10, now })).toEqual([a, b, c]);
    expect(await readTopSellers(documents, table, store, { limit: 2, now })).toEqual([a, b]);
    expect(await readTopSellers(documents, table, store, { limit: 10, now, days: 1 })).toEqual([b, a]);
    expect(await readTopSellers(documents, table, randomUUID(), { limit: 10, now })).toEqual([]);
  });

  it('counts concurrent sales of one product exactly', async () => {
    const store = randomUUID();
    const now = new Date();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        recordSales(documents, table, store, now, [{ productId: '01EEE', quantity: 2 }]),
      ),
    );
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'storeId = :s',
        ExpressionAttributeValues: { ':s': store },
      }),
    );
    expect(Items).toEqual([expect.objectContaining({ units: 50, expiresAt: expect.any(Number) })]);
  });
});
