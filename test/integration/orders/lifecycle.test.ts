/**
 * The order after checkout, over the handlers against DynamoDB Local: ownership (another customer gets
 * 404, cursors are the caller's), cancellation releasing stock, fulfilment by the store's own staff and
 * rider with the reservation becoming a sale, stale transitions, the store's listing.
 */
import { confirmPayment } from '../../../functions/orders/use-cases/lifecycle';
import { readOnlyPublisher } from '../../../functions/orders/adapters/publisher';
import { lifecycleDeps } from '../../../functions/orders/wiring';
import type { TestResponse } from '../../support/lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readTopSellers, storeSalesKey } from '../../../functions/shared/published/store-sales';
import { ok } from '../stores/helpers';
import { orders } from './api';
import {
  customersAt,
  destroyClients,
  documents,
  newProduct,
  newShop,
  putCart,
  putStock,
  resources,
  stockOf,
  user,
  type Caller,
} from './fixtures';

jest.setTimeout(60_000);
afterAll(destroyClients);

let shop: Awaited<ReturnType<typeof newShop>>;
beforeAll(async () => {
  shop = await newShop();
});

/** The payments work is not built: its confirmation is called as it will call it (events are not needed). */
const confirm = (orderId: string) => confirmPayment(lifecycleDeps(readOnlyPublisher), orderId);

async function placed(
  quantity = 2,
  available = 10,
): Promise<{ me: Caller; order: TestResponse['body']; productId: string }> {
  const productId = await newProduct();
  await putStock(shop.storeId, productId, available);
  const [me] = await customersAt(1, shop.storeId, shop.location);
  await putCart(me!.userId, [{ productId, quantity }]);
  return { me: me!, order: ok(await orders.place(me!), 201), productId };
}

describe('reading and listing', () => {
  it("never shows one customer another's order: 404 as for an unknown id", async () => {
    const { order } = await placed();
    const other = user('customer');
    const res = await orders.get(other, order.orderId);
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(`No order ${order.orderId}.`);
    expect((await orders.cancel(other, order.orderId)).status).toBe(404);
  });

  it("lets the store's staff, its rider and admins read it, but not another store's staff", async () => {
    const { order } = await placed();
    expect(ok(await orders.get(shop.staff, order.orderId)).orderId).toBe(order.orderId);
    expect(ok(await orders.get(shop.rider, order.orderId)).orderId).toBe(order.orderId);
    expect(ok(await orders.get(user('admin'), order.orderId)).orderId).toBe(order.orderId);
    const elsewhere = await newShop();
    expect((await orders.get(elsewhere.staff, order.orderId)).status).toBe(404);
  });

  it("lists the caller's own orders newest first, page by page, with a cursor only the caller can use", async () => {
    const p = await newProduct();
    await putStock(shop.storeId, p, 10);
    const [me] = await customersAt(1, shop.storeId, shop.location);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await putCart(me!.userId, [{ productId: p, quantity: 1 }]);
      ids.push(ok(await orders.place(me!), 201).orderId);
    }
    const first = ok(await orders.list(me!, { limit: '2' }));
    expect(first.items.map((o: { orderId: string }) => o.orderId)).toEqual([ids[2], ids[1]]);
    const second = ok(await orders.list(me!, { limit: '2', cursor: first.nextCursor }));
    expect(second.items.map((o: { orderId: string }) => o.orderId)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();

    const thief = user('customer');
    const stolen = await orders.list(thief, { limit: '2', cursor: first.nextCursor });
    expect(stolen.status).toBe(400);
    expect(ok(await orders.list(thief)).items).toEqual([]);
  });

  it("lists a store's orders for its staff and admins, by status, and refuses other people", async () => {
    const { order } = await placed();
    const pending = ok(await orders.ofStore(shop.staff, shop.storeId, { status: 'PENDING_PAYMENT' }));
    expect(pending.items.map((o: { orderId: string }) => o.orderId)).toContain(order.orderId);
    const packed = ok(await orders.ofStore(user('admin'), shop.storeId, { status: 'PACKED' }));
    expect(packed.items.map((o: { orderId: string }) => o.orderId)).not.toContain(order.orderId);
    expect((await orders.ofStore(user('store_staff'), shop.storeId)).status).toBe(403);
  });
});

describe('cancellation by the customer', () => {
  it('cancels a pending order and releases its stock, once', async () => {
    const { me, order, productId } = await placed(3, 10);
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 7, reserved: 3 });

    const cancelled = ok(await orders.cancel(me, order.orderId, 'Ordered by mistake'));

    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      version: 2,
      cancellation: { reason: 'Ordered by mistake', by: 'customer' },
    });
    expect(cancelled.refund).toBeUndefined(); // nothing was paid
    expect(cancelled.history.map((h: { status: string }) => h.status)).toEqual([
      'PENDING_PAYMENT',
      'CANCELLED',
    ]);
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 10, reserved: 0 });

    const again = await orders.cancel(me, order.orderId, 'Twice');
    expect(again.status).toBe(409);
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 10, reserved: 0 });
  });

  it('marks a paid order for refund', async () => {
    const { me, order } = await placed();
    await confirm(order.orderId);
    const cancelled = ok(await orders.cancel(me, order.orderId));
    expect(cancelled.refund).toEqual({ status: 'PENDING', amountPaise: order.totalPaise });
  });

  it('releases stock exactly once when ten cancellations race', async () => {
    const { me, order, productId } = await placed(4, 10);
    const results = await Promise.all(Array.from({ length: 10 }, () => orders.cancel(me, order.orderId)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 10, reserved: 0 });
  });
});

describe('fulfilment', () => {
  it('packs, dispatches (the reservation becomes a sale) and delivers; the customer can no longer cancel', async () => {
    const { me, order, productId } = await placed(2, 10);
    await confirm(order.orderId);

    ok(await orders.status(shop.staff, order.orderId, 'PACKED'));
    ok(await orders.status(shop.rider, order.orderId, 'OUT_FOR_DELIVERY'));
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 8, reserved: 0 });
    expect((await orders.cancel(me, order.orderId)).status).toBe(409);
    // The sale is counted once, for the store's best sellers; a repeated dispatch is stale and counts nothing.
    expect((await orders.status(shop.rider, order.orderId, 'OUT_FOR_DELIVERY')).status).toBe(409);
    const delivered = ok(await orders.status(shop.rider, order.orderId, 'DELIVERED'));
    const today = new Date().toISOString().slice(0, 10);
    const { Item: sold } = await documents.send(
      new GetCommand({
        TableName: resources.tableNames.StoreSales!,
        Key: storeSalesKey(shop.storeId, today, productId),
      }),
    );
    expect(sold).toMatchObject({ units: 2 });
    expect(
      await readTopSellers(documents, resources.tableNames.StoreSales!, shop.storeId, {
        limit: 5,
        now: new Date(),
      }),
    ).toContain(productId);

    expect(delivered.history.map((h: { status: string; by: string }) => [h.status, h.by])).toEqual([
      ['PENDING_PAYMENT', 'customer'],
      ['CONFIRMED', 'payments'],
      ['PACKED', 'store_staff'],
      ['OUT_FOR_DELIVERY', 'delivery_partner'],
      ['DELIVERED', 'delivery_partner'],
    ]);
    expect(await stockOf(shop.storeId, productId)).toMatchObject({ available: 8, reserved: 0 });
  });

  it('refuses a stale move (409), the wrong role at the store (403) and anyone from elsewhere (404)', async () => {
    const { order } = await placed();
    expect((await orders.status(shop.staff, order.orderId, 'PACKED')).status).toBe(409); // not paid yet
    await confirm(order.orderId);
    expect((await orders.status(shop.rider, order.orderId, 'PACKED')).status).toBe(403);
    const elsewhere = await newShop();
    expect((await orders.status(elsewhere.staff, order.orderId, 'PACKED')).status).toBe(404);
    const [first, second] = await Promise.all([
      orders.status(shop.staff, order.orderId, 'PACKED'),
      orders.status(shop.staff, order.orderId, 'PACKED'),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
  });
});
