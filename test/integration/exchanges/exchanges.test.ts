/**
 * Exchanges against DynamoDB Local and the SQS engine: orders placed, paid and delivered through the orders
 * handlers, then exchanges requested, decided and delivered through the exchanges handlers.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { handler as changeStatus } from '../../../functions/exchanges/handlers/change-replacement-status';
import { handler as createPhotoUrl } from '../../../functions/exchanges/handlers/create-photo-upload-url';
import { handler as decide } from '../../../functions/exchanges/handlers/decide-exchange';
import { handler as getExchange } from '../../../functions/exchanges/handlers/get-exchange';
import { handler as listExchanges } from '../../../functions/exchanges/handlers/list-exchanges';
import { handler as requestExchange } from '../../../functions/exchanges/handlers/request-exchange';
import { requestExchange as requestAs } from '../../../functions/exchanges/use-cases/exchanges';
import { RELAY_AFTER_MS, relayExchangeOutbox } from '../../../functions/exchanges/use-cases/outbox';
import { exchangeDeps, relayDeps } from '../../../functions/exchanges/wiring';
import { readOnlyPublisher } from '../../../functions/orders/adapters/publisher';
import { confirmPayment } from '../../../functions/orders/use-cases/lifecycle';
import { lifecycleDeps } from '../../../functions/orders/wiring';
import { categoryKey, productKey } from '../../../functions/shared/published/catalog-items';
import { testClients } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, ok } from '../stores/helpers';
import { orders } from '../orders/api';
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
} from '../orders/fixtures';

jest.setTimeout(60_000);
const sqs = testClients(resources).sqs;
afterAll(() => {
  sqs.destroy();
  destroyClients();
});

let shop: Awaited<ReturnType<typeof newShop>>;
beforeAll(async () => {
  shop = await newShop();
});

const HOUR = 60 * 60 * 1000;

/** An order of these lines placed, paid and delivered by a new customer at the shop. */
async function delivered(lines: { productId: string; quantity: number; pricePaise?: number }[]) {
  for (const l of lines) await putStock(shop.storeId, l.productId, l.quantity + 20);
  const [me] = await customersAt(1, shop.storeId, shop.location);
  await putCart(me!.userId, lines);
  const order = ok(await orders.place(me!), 201);
  await confirmPayment(lifecycleDeps(readOnlyPublisher), order.orderId);
  ok(await orders.status(shop.staff, order.orderId, 'PACKED'));
  ok(await orders.status(shop.rider, order.orderId, 'OUT_FOR_DELIVERY'));
  ok(await orders.status(shop.rider, order.orderId, 'DELIVERED'));
  // What the payments service records on a paid order (published/order-payment.ts): the payment the
  // exchange's refund would come out of.
  const paymentId = ulid();
  await documents.send(
    new UpdateCommand({
      TableName: resources.tableNames.Orders!,
      Key: { orderId: order.orderId },
      UpdateExpression: 'SET payment = :p',
      ExpressionAttributeValues: { ':p': { paymentId, status: 'SUCCEEDED' } },
    }),
  );
  return { me: me!, orderId: order.orderId as string, paymentId };
}

/** Moves the order's delivery back in time (the window is counted from it). */
async function deliveredHoursAgo(orderId: string, hours: number) {
  const at = new Date(Date.now() - hours * HOUR).toISOString();
  const { Attributes } = await documents.send(
    new UpdateCommand({
      TableName: resources.tableNames.Orders!,
      Key: { orderId },
      UpdateExpression: 'SET #h[4].#at = :at',
      ConditionExpression: '#h[4].#status = :delivered',
      ExpressionAttributeNames: { '#h': 'history', '#at': 'at', '#status': 'status' },
      ExpressionAttributeValues: { ':at': at, ':delivered': 'DELIVERED' },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Attributes;
}

/** A product in a new category with this slug (a top-level one, or under a parent with `parentSlug`). */
async function productIn(slug: string, parentSlug?: string) {
  const put = (Item: Record<string, unknown>) =>
    documents.send(new PutCommand({ TableName: resources.tableNames.Catalog!, Item }));
  const parentId = parentSlug ? ulid() : undefined;
  if (parentId) await put({ ...categoryKey(parentId), id: parentId, slug: parentSlug, name: parentSlug });
  const categoryId = ulid();
  await put({
    ...categoryKey(categoryId),
    id: categoryId,
    slug,
    name: slug,
    ...(parentId ? { parentId } : {}),
  });
  const productId = await newProduct();
  await documents.send(
    new UpdateCommand({
      TableName: resources.tableNames.Catalog!,
      Key: productKey(productId),
      UpdateExpression: 'SET categoryId = :c',
      ExpressionAttributeValues: { ':c': categoryId },
    }),
  );
  return productId;
}

const ask = (
  as: Caller,
  orderId: string,
  body: unknown,
  key: string = randomUUID(),
): ReturnType<typeof invoke> =>
  invoke(requestExchange, {
    method: 'POST',
    path: `/v1/orders/${orderId}/exchanges`,
    pathParameters: { orderId },
    headers: { 'Idempotency-Key': key },
    body,
    as,
  });
const decideAs = (as: Caller, exchangeId: string, decision: 'approve' | 'reject', note?: string) =>
  invoke(decide, {
    method: 'POST',
    path: `/v1/admin/exchanges/${exchangeId}/decision`,
    pathParameters: { exchangeId },
    body: { decision, ...(note ? { note } : {}) },
    as,
  });
const move = (as: Caller, exchangeId: string, status: string) =>
  invoke(changeStatus, {
    method: 'POST',
    path: `/v1/exchanges/${exchangeId}/status`,
    pathParameters: { exchangeId },
    body: { status },
    as,
  });
const read = (as: Caller, exchangeId: string) =>
  invoke(getExchange, { path: `/v1/exchanges/${exchangeId}`, pathParameters: { exchangeId }, as });

/** The messages about these exchanges now in the queue (peeked: they stay for others), by `keyOf`. */
async function peek<T extends { data?: { exchangeId?: string }; exchangeId?: string }>(
  queueUrl: string,
  exchangeIds: readonly string[],
  keyOf: (body: T) => string,
) {
  const wanted = new Set(exchangeIds);
  const seen = new Map<string, T>();
  for (let round = 0; round < 20; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    for (const m of Messages) {
      const body = JSON.parse(m.Body!) as T;
      const exchangeId = body.data?.exchangeId ?? body.exchangeId;
      if (exchangeId && wanted.has(exchangeId)) seen.set(keyOf(body), body);
    }
    if (Messages.length === 0) break;
  }
  return [...seen.values()];
}

const notificationsOf = (exchangeIds: readonly string[]) =>
  peek<{ eventType: string; userId: string; idempotencyKey: string; data: { exchangeId?: string } }>(
    resources.queueUrls.NotificationRequests!,
    exchangeIds,
    (n) => n.idempotencyKey,
  );

const refundRequestsOf = (exchangeIds: readonly string[]) =>
  peek<{ exchangeId: string; paymentId: string; orderId: string; reason: string; amountPaise: number }>(
    resources.queueUrls.RefundRequests!,
    exchangeIds,
    (r) => r.exchangeId,
  );

describe('requesting an exchange', () => {
  it('auto-approves a small damaged line, reserves the replacement, and delivers it like an order', async () => {
    const p = await newProduct({ pricePaise: 4_000 });
    const { me, orderId } = await delivered([{ productId: p, quantity: 2 }]);
    const before = await stockOf(shop.storeId, p);

    const exchange = ok(
      await ask(me, orderId, {
        lines: [{ productId: p, quantity: 1, reason: 'damaged' }],
        note: 'Crushed box',
      }),
      201,
    );
    expect(exchange).toMatchObject({
      orderId,
      storeId: shop.storeId,
      status: 'REPLACEMENT_RESERVED',
      valuePaise: 4_000,
      delivery: { status: 'PENDING' },
      lines: [{ productId: p, quantity: 1, reason: 'damaged', unitPricePaise: 4_000 }],
    });
    expect(await stockOf(shop.storeId, p)).toMatchObject({
      available: before!.available - 1,
      reserved: before!.reserved + 1,
    });

    expect((await move(shop.rider, exchange.exchangeId, 'PACKED')).status).toBe(403);
    ok(await move(shop.staff, exchange.exchangeId, 'PACKED'));
    expect((await move(shop.staff, exchange.exchangeId, 'PACKED')).status).toBe(409);
    expect(ok(await move(shop.rider, exchange.exchangeId, 'OUT_FOR_DELIVERY')).status).toBe(
      'OUT_FOR_DELIVERY',
    );
    expect(await stockOf(shop.storeId, p)).toMatchObject({
      available: before!.available - 1,
      reserved: before!.reserved,
    });
    const done = ok(await move(shop.rider, exchange.exchangeId, 'DELIVERED'));
    expect(done.status).toBe('COMPLETED');
    expect(done.history.map((h: { status: string; by: string }) => [h.status, h.by])).toEqual([
      ['REQUESTED', 'customer'],
      ['APPROVED', 'rules'],
      ['REPLACEMENT_RESERVED', 'rules'],
      ['PACKED', 'store_staff'],
      ['OUT_FOR_DELIVERY', 'delivery_partner'],
      ['COMPLETED', 'delivery_partner'],
    ]);
    expect(ok(await read(me, exchange.exchangeId))).toEqual(done);
    expect(ok(await orders.get(me, orderId)).exchanges).toEqual([
      { exchangeId: exchange.exchangeId, status: 'COMPLETED', createdAt: exchange.createdAt },
    ]);

    const told = await notificationsOf([exchange.exchangeId]);
    expect(told.every((n) => n.userId === me.userId)).toBe(true);
    expect(told.map((n) => n.eventType).sort()).toEqual(
      [
        'exchange.requested',
        'exchange.replacement_reserved',
        'exchange.packed',
        'exchange.out_for_delivery',
        'exchange.completed',
      ].sort(),
    );
  });

  it('answers only the order’s customer, only for delivered lines and units, with the rule broken', async () => {
    const p = await newProduct();
    const q = await newProduct();
    const { me, orderId } = await delivered([{ productId: p, quantity: 2 }]);
    const line = (productId: string, quantity = 1) => ({
      lines: [{ productId, quantity, reason: 'damaged' }],
    });

    expect((await ask(user('customer'), orderId, line(p))).status).toBe(404);
    const notInOrder = await ask(me, orderId, line(q));
    expect(notInOrder.status).toBe(400);
    expect(notInOrder.body.errors).toEqual([expect.objectContaining({ field: 'lines.0.productId' })]);
    expect((await ask(me, orderId, line(p, 3))).body.errors).toEqual([
      expect.objectContaining({ field: 'lines.0.quantity', message: 'At most 2 were delivered' }),
    ]);
    expect((await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'bored' }] })).status).toBe(
      400,
    );
    const foreignPhoto = await ask(me, orderId, {
      ...line(p),
      photoKeys: [`exchanges/${ulid()}/${ulid()}.jpg`],
    });
    expect(foreignPhoto.body.errors).toEqual([expect.objectContaining({ field: 'photoKeys.0' })]);

    // An order still on its way is not exchangeable.
    const r = await newProduct();
    await putStock(shop.storeId, r, 5);
    const [other] = await customersAt(1, shop.storeId, shop.location);
    await putCart(other!.userId, [{ productId: r, quantity: 1 }]);
    const pending = ok(await orders.place(other!), 201);
    expect((await ask(other!, pending.orderId, line(r))).body.type).toBe('/problems/order-not-delivered');
  });

  it('keeps the window after delivery: 48 hours, 24 for fresh categories, none for categories never exchanged', async () => {
    const plain = await newProduct();
    const milk = await productIn('milk', 'dairy-bread-and-eggs');
    const soap = await productIn('personal-care');
    const { me, orderId } = await delivered([
      { productId: plain, quantity: 1 },
      { productId: milk, quantity: 1 },
      { productId: soap, quantity: 1 },
    ]);
    const soapAsked = await ask(me, orderId, {
      lines: [{ productId: soap, quantity: 1, reason: 'damaged' }],
    });
    expect(soapAsked).toMatchObject({
      status: 422,
      body: { type: '/problems/not-exchangeable', productIds: [soap] },
    });

    await deliveredHoursAgo(orderId, 30);
    const milkLate = await ask(me, orderId, { lines: [{ productId: milk, quantity: 1, reason: 'expired' }] });
    expect(milkLate).toMatchObject({
      status: 422,
      body: { type: '/problems/exchange-window-closed', productIds: [milk] },
    });
    expect(
      (await ask(me, orderId, { lines: [{ productId: plain, quantity: 1, reason: 'damaged' }] })).status,
    ).toBe(201);

    await deliveredHoursAgo(orderId, 49);
    const late = await ask(me, orderId, { lines: [{ productId: plain, quantity: 1, reason: 'damaged' }] });
    expect(late.body.type).toBe('/problems/exchange-window-closed');
  });

  it('never exchanges more units of a line than were delivered, with 10 requests racing', async () => {
    const p = await newProduct({ pricePaise: 1_000 });
    const { me, orderId } = await delivered([{ productId: p, quantity: 3 }]);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused)
      expect(r.body).toMatchObject({
        type: '/problems/exchange-quantity-exceeded',
        lines: [{ productId: p, delivered: 3, claimed: 3, requested: 1 }],
      });
    // Rejecting one gives its unit back.
    const [first] = results.filter((r) => r.status === 201);
    ok(await decideAs(admin, first!.body.exchangeId, 'reject', 'Looks fine in the photo'));
    expect(
      (await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] })).status,
    ).toBe(201);
    expect(
      (await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] })).status,
    ).toBe(409);
  });

  it('replays the same Idempotency-Key: one exchange', async () => {
    const p = await newProduct();
    const { me, orderId } = await delivered([{ productId: p, quantity: 2 }]);
    const key = randomUUID();
    const body = { lines: [{ productId: p, quantity: 1, reason: 'quality' }] };
    const [a, b] = [await ask(me, orderId, body, key), await ask(me, orderId, body, key)];
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(
      (await ask(me, orderId, { lines: [{ productId: p, quantity: 2, reason: 'quality' }] })).status,
    ).toBe(409);
  });
});

describe('deciding', () => {
  it('leaves quality, costly and habitual requests to a person', async () => {
    const cheap = await newProduct({ pricePaise: 2_000 });
    const dear = await newProduct({ pricePaise: 60_000 });
    const { me, orderId } = await delivered([
      { productId: cheap, quantity: 5 },
      { productId: dear, quantity: 1 },
    ]);
    const status = async (productId: string, reason = 'damaged') =>
      ok(await ask(me, orderId, { lines: [{ productId, quantity: 1, reason }] }), 201).status;
    expect(await status(cheap, 'quality')).toBe('REQUESTED');
    expect(await status(dear)).toBe('REQUESTED'); // ₹600 > ₹500
    // Two exchanges in 30 days so far; the third is still fewer than 3 before it, the fourth is not.
    expect(await status(cheap)).toBe('REPLACEMENT_RESERVED');
    expect(await status(cheap)).toBe('REQUESTED');
  });

  it('lets exactly one of two racing decisions win (the other is a 409), by an admin or the store’s staff only', async () => {
    const p = await newProduct();
    const { me, orderId } = await delivered([{ productId: p, quantity: 1 }]);
    const exchange = ok(
      await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] }),
      201,
    );
    const elsewhere = await newShop();
    expect((await decideAs(elsewhere.staff, exchange.exchangeId, 'approve')).status).toBe(404);
    expect((await decideAs(shop.rider, exchange.exchangeId, 'approve')).status).toBe(403);
    expect((await decideAs(me, exchange.exchangeId, 'approve')).status).toBe(403);

    const [a, b] = await Promise.all([
      decideAs(admin, exchange.exchangeId, 'approve'),
      decideAs(shop.staff, exchange.exchangeId, 'reject', 'Not damaged'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const final = ok(await read(admin, exchange.exchangeId));
    expect(['REPLACEMENT_RESERVED', 'REJECTED']).toContain(final.status);
  });

  it('reserves the replacement like checkout under contention: one unit, two approvals, one refund', async () => {
    const p = await newProduct({ pricePaise: 3_500 });
    const first = await delivered([{ productId: p, quantity: 1 }]);
    const second = await delivered([{ productId: p, quantity: 1 }]);
    const byOrder = new Map([first, second].map((d) => [d.orderId, d]));
    const ex = await Promise.all(
      [first, second].map(async ({ me, orderId }) =>
        ok(await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] }), 201),
      ),
    );
    await putStock(shop.storeId, p, 1, 0);
    const decided = await Promise.all(ex.map((e) => decideAs(admin, e.exchangeId, 'approve')));
    expect(decided.map((d) => d.status)).toEqual([200, 200]);
    const statuses = decided.map((d) => d.body.status).sort();
    expect(statuses).toEqual(['REPLACEMENT_RESERVED', 'REPLACEMENT_UNAVAILABLE']);
    const refunded = decided.find((d) => d.body.status === 'REPLACEMENT_UNAVAILABLE')!.body;
    expect(refunded.refund).toEqual({ status: 'PENDING', amountPaise: 3_500 });
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 0, reserved: 1 });
    expect((await notificationsOf([refunded.exchangeId])).map((n) => n.eventType)).toContain(
      'exchange.replacement_unavailable',
    );
    // The refund goes to the payments work: the lines' value, out of the order's own payment, once.
    expect(await refundRequestsOf([refunded.exchangeId])).toEqual([
      {
        paymentId: byOrder.get(refunded.orderId)!.paymentId,
        orderId: refunded.orderId,
        reason: 'EXCHANGE_UNAVAILABLE',
        exchangeId: refunded.exchangeId,
        amountPaise: 3_500,
        requestedAt: refunded.updatedAt,
      },
    ]);
    const reserved = decided.find((d) => d.body.status === 'REPLACEMENT_RESERVED')!.body;
    expect(await refundRequestsOf([reserved.exchangeId])).toEqual([]);
  });
});

describe('the outbox', () => {
  it('keeps what a change could not send, and the relay sends it later: at least once, never lost', async () => {
    const p = await newProduct({ pricePaise: 2_000 });
    const { me, orderId } = await delivered([{ productId: p, quantity: 1 }]);
    const queueDown = {
      ...exchangeDeps(),
      publisher: {
        publish: async () => {
          throw new Error('NotificationRequests refused the batch');
        },
      },
    };
    const exchange = await requestAs(queueDown, { ...me, username: me.userId }, orderId, {
      lines: [{ productId: p, quantity: 1, reason: 'quality' }],
    });
    expect(exchange.status).toBe('REQUESTED');
    expect(await notificationsOf([exchange.exchangeId])).toEqual([]);
    const item = async () =>
      (
        await documents.send(
          new GetCommand({
            TableName: resources.tableNames.Exchanges!,
            Key: { exchangeId: exchange.exchangeId },
            ConsistentRead: true,
          }),
        )
      ).Item!;
    expect(Object.keys((await item()).outbox)).toEqual(['n1']);

    // The relay leaves fresh messages to the request that wrote them; later they are its own. Other
    // tests' outboxes share the index, so it runs until this one is empty.
    const relay = { ...relayDeps(), now: () => new Date(Date.now() + RELAY_AFTER_MS + 1_000) };
    for (let run = 0; run < 20 && (await item()).outboxShard !== undefined; run++)
      await relayExchangeOutbox(relay);
    expect(await item()).toMatchObject({ outbox: {} });
    expect((await item()).outboxShard).toBeUndefined();
    expect((await notificationsOf([exchange.exchangeId])).map((n) => n.idempotencyKey)).toEqual([
      `exchange:${exchange.exchangeId}:1`,
    ]);
    // A change after the relay emptied it: its own message only, sent at once.
    ok(await decideAs(admin, exchange.exchangeId, 'reject'));
    // (Peeking a shared queue samples it: this message is looked for, not the whole set again.)
    expect((await notificationsOf([exchange.exchangeId])).map((n) => n.idempotencyKey)).toContain(
      `exchange:${exchange.exchangeId}:2`,
    );
    expect(await item()).toMatchObject({ outbox: {} });
  });
});

describe('reads and photos', () => {
  it('shows an exchange to its customer, the store’s staff and admins; others get 404; admins list the review queue', async () => {
    const p = await newProduct();
    const { me, orderId } = await delivered([{ productId: p, quantity: 1 }]);
    const exchange = ok(
      await ask(me, orderId, { lines: [{ productId: p, quantity: 1, reason: 'quality' }] }),
      201,
    );
    expect((await read(shop.staff, exchange.exchangeId)).status).toBe(200);
    expect((await read(user('customer'), exchange.exchangeId)).status).toBe(404);
    expect((await read((await newShop()).staff, exchange.exchangeId)).status).toBe(404);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(
        await invoke(listExchanges, {
          path: '/v1/admin/exchanges',
          query: { status: 'REQUESTED', limit: '50', ...(cursor ? { cursor } : {}) },
          as: admin,
        }),
      );
      ids.push(...page.items.map((e: { exchangeId: string }) => e.exchangeId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toContain(exchange.exchangeId);
  });

  it('signs photo uploads under the order’s own prefix, for its customer only', async () => {
    const p = await newProduct();
    const { me, orderId } = await delivered([{ productId: p, quantity: 1 }]);
    const url = (as: Caller) =>
      invoke(createPhotoUrl, {
        method: 'POST',
        path: `/v1/orders/${orderId}/exchanges/photo-upload-url`,
        pathParameters: { orderId },
        body: { contentType: 'image/jpeg', contentLength: 1234 },
        as,
      });
    const signed = ok(await url(me), 201);
    expect(signed.key).toMatch(new RegExp(`^exchanges/${orderId}/[0-9A-Z]{26}\\.jpg$`));
    const put = await fetch(signed.uploadUrl, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.alloc(1234, 1),
    });
    expect(put.status).toBe(200);
    expect((await url(user('customer'))).status).toBe(404);
    const withPhoto = await ask(me, orderId, {
      lines: [{ productId: p, quantity: 1, reason: 'damaged' }],
      photoKeys: [signed.key],
    });
    expect(ok(withPhoto, 201).photoKeys).toEqual([signed.key]);
  });
});
