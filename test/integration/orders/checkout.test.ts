/**
 * Checkout against DynamoDB Local: the order, the cart delete and the stock reservation in one
 * transaction — under 200 concurrent checkouts, with two-line carts, and with 20 concurrent retries of
 * one Idempotency-Key (the must-hold properties), plus its refusals.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { minuteOf, storeLoadKey } from '../../../functions/shared/published/store-load';
import { handler as updateStore } from '../../../functions/stores/handlers/update-store';
import { invoke } from '../../support/lambda';
import { admin, ok, ROUND_THE_CLOCK } from '../stores/helpers';
import { cart, orders } from './api';
import {
  customerAt,
  customersAt,
  destroyClients,
  documents,
  newProduct,
  newShop,
  ordersOf,
  putCart,
  putStock,
  resources,
  setPrice,
  stockOf,
  user,
} from './fixtures';

jest.setTimeout(120_000);
afterAll(destroyClients);

let shop: Awaited<ReturnType<typeof newShop>>;
beforeAll(async () => {
  shop = await newShop();
});

describe('checkout', () => {
  it('reprices the cart, reserves its stock, clears the cart and answers 201 with the order', async () => {
    const me = await customerAt(shop.location);
    const [a, b] = [await newProduct({ pricePaise: 5_000 }), await newProduct({ pricePaise: 12_000 })];
    await putStock(shop.storeId, a, 10);
    await putStock(shop.storeId, b, 3);
    ok(await cart.set(me, a, 2));
    ok(await cart.set(me, b, 1));
    await setPrice(b, 15_000); // the catalogue's price now wins over the price in the cart

    const res = await orders.place(me, randomUUID(), { deliveryNote: 'Ring twice' });

    const order = ok(res, 201);
    expect(order).toMatchObject({
      status: 'PENDING_PAYMENT',
      storeId: shop.storeId,
      customerId: me.userId,
      lines: [
        { productId: a, quantity: 2, unitPricePaise: 5_000, linePaise: 10_000 },
        { productId: b, quantity: 1, unitPricePaise: 15_000, linePaise: 15_000 },
      ],
      subtotalPaise: 25_000,
      deliveryFeePaise: 0, // at or above the ₹199 threshold
      totalPaise: 25_000,
      deliveryNote: 'Ring twice',
      history: [{ status: 'PENDING_PAYMENT', by: 'customer' }],
    });
    const ttlMs = Date.parse(order.reservationExpiresAt) - Date.parse(order.createdAt);
    expect(ttlMs).toBe(Number(resources.settings.reservationTtlSeconds) * 1000);
    expect(await stockOf(shop.storeId, a)).toMatchObject({ available: 8, reserved: 2, version: 2 });
    expect(await stockOf(shop.storeId, b)).toMatchObject({ available: 2, reserved: 1, version: 2 });
    expect(ok(await cart.get(me))).toMatchObject({ lines: [], subtotalPaise: 0, totalPaise: 0 });
    expect(ok(await orders.get(me, order.orderId))).toEqual({ ...order, exchanges: [] });
  });

  it('counts the order in the store load the serviceability ETA reads', async () => {
    const me = await customerAt(shop.location);
    const p = await newProduct();
    await putStock(shop.storeId, p, 5);
    ok(await cart.set(me, p, 1));
    const order = ok(await orders.place(me), 201);
    const { Item } = await documents.send(
      new GetCommand({
        TableName: resources.tableNames.StoreLoad!,
        Key: storeLoadKey(shop.storeId, minuteOf(new Date(order.createdAt))),
        ConsistentRead: true,
      }),
    );
    expect(Item?.orders).toBeGreaterThanOrEqual(1);
  });

  it('answers 409 with the short lines and what is available, reserving nothing', async () => {
    const me = await customerAt(shop.location);
    const [a, b] = [await newProduct(), await newProduct()];
    await putStock(shop.storeId, a, 10);
    await putStock(shop.storeId, b, 1);
    ok(await cart.set(me, a, 2));
    ok(await cart.set(me, b, 3));

    const res = await orders.place(me);

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      type: '/problems/insufficient-stock',
      lines: [{ productId: b, requested: 3, available: 1 }],
    });
    expect(await stockOf(shop.storeId, a)).toMatchObject({ available: 10, reserved: 0, version: 1 });
    expect(ok(await cart.get(me)).lines).toHaveLength(2); // the cart stays
  });

  it('refuses an empty cart, a customer without a saved location and an unserviceable one (422)', async () => {
    const withCart = await customerAt(shop.location);
    expect((await orders.place(withCart)).body.type).toBe('/problems/empty-cart');

    const nowhere = user('customer');
    await putCart(nowhere.userId, [{ productId: await newProduct(), quantity: 1 }]);
    const noLocation = await orders.place(nowhere);
    expect(noLocation.status).toBe(422);
    expect(noLocation.body.type).toBe('/problems/no-saved-location');

    // A saved location without a store is one that was not serviceable when it was saved.
    const [atSea] = await customersAt(1, undefined, { lat: 0, lng: 0 });
    await putCart(atSea!.userId, [{ productId: await newProduct(), quantity: 1 }]);
    const unserviceable = await orders.place(atSea!);
    expect(unserviceable.status).toBe(422);
    expect(unserviceable.body.type).toBe('/problems/not-serviceable');
  });

  it('refuses a store that paused or closed for the day since the location was saved (422), reserving nothing', async () => {
    const later = await newShop();
    const me = await customerAt(later.location);
    const p = await newProduct();
    await putStock(later.storeId, p, 5);
    await putCart(me.userId, [{ productId: p, quantity: 1 }]);
    const patchStore = (body: unknown) =>
      invoke(updateStore, {
        method: 'PATCH',
        path: `/v1/admin/stores/${later.storeId}`,
        pathParameters: { storeId: later.storeId },
        body,
        as: admin,
      });

    ok(await patchStore({ status: 'paused' }));
    const paused = await orders.place(me);
    expect(paused.status).toBe(422);
    expect(paused.body.type).toBe('/problems/not-serviceable');

    // Open by status, but no hours today or any day: closed now, whatever the time of the run.
    ok(await patchStore({ status: 'open', hours: { timeZone: 'Asia/Kolkata', days: {} } }));
    expect((await orders.place(me)).body.type).toBe('/problems/not-serviceable');
    expect(await stockOf(later.storeId, p)).toMatchObject({ available: 5, reserved: 0 });

    ok(await patchStore({ hours: ROUND_THE_CLOCK }));
    expect((await orders.place(me)).status).toBe(201);
  });
});

describe('checkout under concurrency (must hold)', () => {
  it('sells 50 units to exactly 50 of 200 concurrent customers: 0 available, 50 reserved', async () => {
    const p = await newProduct();
    await putStock(shop.storeId, p, 50);
    const customers = await customersAt(200, shop.storeId, shop.location);
    await Promise.all(customers.map((c) => putCart(c.userId, [{ productId: p, quantity: 1 }])));

    const results = await Promise.all(customers.map((c) => orders.place(c)));

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.type)).toEqual(
      Array(150).fill('/problems/insufficient-stock'),
    );
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 0, reserved: 50 });
    expect(await ordersOf(customers.map((c) => c.userId))).toHaveLength(50);
  });

  it('never reserves one line of a two-product cart without the other', async () => {
    const [a, b] = [await newProduct(), await newProduct()];
    await putStock(shop.storeId, a, 40);
    await putStock(shop.storeId, b, 25);
    const customers = await customersAt(80, shop.storeId, shop.location);
    await Promise.all(
      customers.map((c) =>
        putCart(c.userId, [
          { productId: a, quantity: 1 },
          { productId: b, quantity: 1 },
        ]),
      ),
    );

    const results = await Promise.all(customers.map((c) => orders.place(c)));

    expect(results.filter((r) => r.status === 201)).toHaveLength(25);
    const placed = await ordersOf(customers.map((c) => c.userId));
    expect(placed).toHaveLength(25);
    for (const order of placed) expect((order.lines as unknown[]).length).toBe(2);
    expect(await stockOf(shop.storeId, a)).toMatchObject({ available: 15, reserved: 25 });
    expect(await stockOf(shop.storeId, b)).toMatchObject({ available: 0, reserved: 25 });
  });

  it('places one order for 20 concurrent requests with one Idempotency-Key; replays it; 422 for another body', async () => {
    const p = await newProduct();
    await putStock(shop.storeId, p, 10);
    const [me] = await customersAt(1, shop.storeId, shop.location);
    await putCart(me!.userId, [{ productId: p, quantity: 2 }]);
    const key = randomUUID();

    const results = await Promise.all(Array.from({ length: 20 }, () => orders.place(me!, key)));

    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // The others were in flight (409) or replays of the first answer.
    for (const r of results.filter((r) => r.status !== 201)) expect(r.status).toBe(409);
    const orderIds = new Set(created.map((r) => r.body.orderId));
    expect(orderIds.size).toBe(1);
    expect(await ordersOf([me!.userId])).toHaveLength(1);
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 8, reserved: 2 });

    const replay = await orders.place(me!, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(created[0]!.body);

    const otherBody = await orders.place(me!, key, { deliveryNote: 'Leave at the door' });
    expect(otherBody.status).toBe(422);
    expect(await ordersOf([me!.userId])).toHaveLength(1);
  });
});
