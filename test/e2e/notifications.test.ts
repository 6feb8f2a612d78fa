/**
 * End to end: an order placed, paid and delivered on the local platform (booted as `npm start` boots it)
 * produces the customer's in-app notifications and outbox entries, in order — through the real bundles:
 * the orders functions' outbox to OrderEvents, NotifyOrderEvents, the dispatcher and the channel workers
 * on the local SQS engine. The first order is confirmed with the orders service's own `confirmPayment`
 * use case (the real OrderEvents publisher) in this process, to watch the order events alone; the
 * exchanges' orders pay through the payment route (the provider simulator), and an exchange whose
 * replacement is out of stock is refunded through the exchanges' outbox, RefundRequests and the refund
 * worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { localClients } from '../../local/engines/clients';
import { awsEnvironment } from '../../local/engines/types';
import { DEFAULT_DEMO_PASSWORD, startPlatform, type Platform } from '../../local/platform';

jest.setTimeout(180_000);

let platform: Platform;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zepto-e2e-notifications-'));
  platform = await startPlatform({
    port: 0,
    dataDir,
    seed: { products: 50 },
    quiet: true,
    schedules: false,
    bundling: 'on-demand',
  });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers,
    body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const login = async (email: string) => {
  const res = await api('POST', '/v1/auth/login', { json: { email, password: DEFAULT_DEMO_PASSWORD } });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
};

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

/** The orders service's confirmPayment, in this process, publishing to the platform's OrderEvents. */
async function confirmPayment(orderId: string): Promise<void> {
  const { resources } = platform;
  Object.assign(process.env, awsEnvironment(resources.endpoints));
  const { confirmPayment: confirm } = await import('../../functions/orders/use-cases/lifecycle');
  const { lifecycleDeps } = await import('../../functions/orders/wiring');
  const { sqsOrderEventPublisher } = await import('../../functions/orders/adapters/publisher');
  const env = {
    ORDERS_TABLE_NAME: resources.tableNames.Orders!,
    INVENTORY_TABLE_NAME: resources.tableNames.Inventory!,
    STORES_TABLE_NAME: resources.tableNames.Stores!,
    ORDER_EVENTS_QUEUE_URL: resources.queueUrls.OrderEvents!,
  };
  await confirm(lifecycleDeps(sqsOrderEventPublisher(env), env), orderId);
}

describe('an order placed, paid and delivered', () => {
  it('gives the customer in-app notifications and outbox entries for each step, in order', async () => {
    const customer = await login('customer@demo.zepto.local');
    const me = await api('GET', '/v1/me', { token: customer });
    const userId = me.body.userId as string;
    expect(
      (
        await api('POST', '/v1/me/devices', {
          token: customer,
          json: { platform: 'android', token: `fcm-${randomUUID()}` },
        })
      ).status,
    ).toBe(201);

    const saved = await api('PUT', '/v1/me/location', {
      token: customer,
      json: { lat: 12.9352, lng: 77.6245 },
    });
    expect(saved.body.serviceable).toBe(true);
    const categories = (await api('GET', '/v1/categories')).body.items as {
      id: string;
      productCount?: number;
    }[];
    const category = [...categories].sort((a, b) => (b.productCount ?? 0) - (a.productCount ?? 0))[0]!;
    const product = (await api('GET', `/v1/categories/${category.id}/products?limit=1`)).body.items[0] as {
      id: string;
    };
    expect(
      (await api('PUT', `/v1/cart/items/${product.id}`, { token: customer, json: { quantity: 1 } })).status,
    ).toBe(200);
    const placed = await api('POST', '/v1/orders', {
      token: customer,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;

    await confirmPayment(orderId);
    const staff = await login('staff@demo.zepto.local');
    const rider = await login('rider@demo.zepto.local');
    for (const [token, status] of [
      [staff, 'PACKED'],
      [rider, 'OUT_FOR_DELIVERY'],
      [rider, 'DELIVERED'],
    ] as const)
      expect((await api('POST', `/v1/orders/${orderId}/status`, { token, json: { status } })).status).toBe(
        200,
      );

    const ref = `#${orderId.slice(-6)}`;
    const mine = (items: { eventType: string; body: string }[]) => items.filter((i) => i.body.includes(ref));
    const inbox = await eventually(
      async () => (await api('GET', '/v1/notifications?limit=50', { token: customer })).body,
      (b) => mine(b.items).length >= 4,
    );
    // Newest first: delivered, out for delivery, packed, confirmed.
    expect(mine(inbox.items).map((i) => i.eventType)).toEqual([
      'order.delivered',
      'order.out_for_delivery',
      'order.packed',
      'order.confirmed',
    ]);
    expect(inbox.unreadCount).toBeGreaterThanOrEqual(4);

    const outbox = await eventually(
      async () =>
        (await api('GET', `/local/outbox?userId=${userId}`)).body.items as {
          channel: string;
          body: string;
          title: string;
        }[],
      (items) => items.filter((i) => i.body.includes(ref)).length >= 10,
    );
    const byChannel = (channel: string) =>
      outbox.filter((i) => i.channel === channel && i.body.includes(ref)).map((i) => i.title);
    // Oldest first. Packed is an in-app and push note only (no email or WhatsApp template).
    expect(byChannel('push')).toEqual(['Order confirmed', 'Order packed', 'On the way', 'Delivered']);
    expect(byChannel('email')).toEqual(['Order confirmed', 'On the way', 'Delivered']);
    expect(byChannel('whatsapp')).toEqual(['Order confirmed', 'On the way', 'Delivered']);
    const bad = await api('GET', '/local/outbox?channel=sms');
    expect(bad.status).toBe(400);
  });
});

describe('an exchange of a delivered order', () => {
  it('is paid, delivered, auto-approved, its replacement delivered like an order, and each step told to the customer', async () => {
    const { customer, staff, rider, product, orderId } = await deliveredOrder(0);

    const requested = await api('POST', `/v1/orders/${orderId}/exchanges`, {
      token: customer,
      headers: { 'Idempotency-Key': randomUUID() },
      json: { lines: [{ productId: product.id, quantity: 1, reason: 'damaged' }] },
    });
    expect(requested.status).toBe(201);
    expect(requested.body.status).toBe('REPLACEMENT_RESERVED');
    const exchangeId = requested.body.exchangeId as string;
    for (const [token, status] of [
      [staff, 'PACKED'],
      [rider, 'OUT_FOR_DELIVERY'],
      [rider, 'DELIVERED'],
    ] as const)
      expect(
        (await api('POST', `/v1/exchanges/${exchangeId}/status`, { token, json: { status } })).status,
      ).toBe(200);
    const order = await api('GET', `/v1/orders/${orderId}`, { token: customer });
    expect(order.body.exchanges).toEqual([expect.objectContaining({ exchangeId, status: 'COMPLETED' })]);

    const ref = `#${orderId.slice(-6)}`;
    const inbox = await eventually(
      async () => (await api('GET', '/v1/notifications?limit=50', { token: customer })).body,
      (b) =>
        (b.items as { eventType: string; body: string }[]).filter(
          (i) => i.body.includes(ref) && i.eventType.startsWith('exchange.'),
        ).length >= 5,
    );
    expect(
      (inbox.items as { eventType: string; body: string }[])
        .filter((i) => i.body.includes(ref) && i.eventType.startsWith('exchange.'))
        .map((i) => i.eventType),
    ).toEqual([
      'exchange.completed',
      'exchange.out_for_delivery',
      'exchange.packed',
      'exchange.replacement_reserved',
      'exchange.requested',
    ]);
  });
});

describe('an exchange whose replacement is out of stock', () => {
  it('is refunded for its lines out of the order’s payment, and the exchange shows it', async () => {
    const { customer, staff, product, orderId, placed } = await deliveredOrder(1);
    const { storeId } = placed as { storeId: string };
    const unitPaise = (placed.lines as { productId: string; unitPricePaise: number }[]).find(
      (l) => l.productId === product.id,
    )!.unitPricePaise;
    // The store sells out of it.
    const emptied = await api('PATCH', `/v1/stores/${storeId}/inventory/${product.id}`, {
      token: staff,
      json: { set: 0, reason: 'Sold out' },
    });
    expect(emptied.status).toBe(200);

    const requested = await api('POST', `/v1/orders/${orderId}/exchanges`, {
      token: customer,
      headers: { 'Idempotency-Key': randomUUID() },
      json: { lines: [{ productId: product.id, quantity: 1, reason: 'damaged' }] },
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      status: 'REPLACEMENT_UNAVAILABLE',
      refund: { status: 'PENDING', amountPaise: unitPaise },
    });
    const exchangeId = requested.body.exchangeId as string;
    const refunded = await eventually(
      async () => (await api('GET', `/v1/exchanges/${exchangeId}`, { token: customer })).body,
      (e) => e.refund?.status === 'REFUNDED',
    );
    expect(refunded.refund).toMatchObject({ amountPaise: unitPaise, refundedAt: expect.any(String) });

    const order = (await api('GET', `/v1/orders/${orderId}`, { token: customer })).body;
    // The payment stays taken (the rest of the order was kept); the provider gave back one unit's price.
    expect(order.payment.status).toBe('SUCCEEDED');
    const charges = (await api('GET', `/local/provider/charges?paymentId=${order.payment.paymentId}`)).body
      .charges as { type: string; status: string; amountPaise: number }[];
    expect(charges.map((c) => [c.type, c.status, c.amountPaise])).toEqual([
      ['charge', 'succeeded', order.totalPaise],
      ['refund', 'succeeded', unitPaise],
    ]);
  });
});

/**
 * The demo customer's order of two units of the first product of the `category`-th category, paid through
 * the payment route, then packed, taken out and delivered by the demo staff and rider.
 */
async function deliveredOrder(category: number) {
  const customer = await login('customer@demo.zepto.local');
  const staff = await login('staff@demo.zepto.local');
  const rider = await login('rider@demo.zepto.local');
  await api('PUT', '/v1/me/location', { token: customer, json: { lat: 12.9352, lng: 77.6245 } });
  const categories = (await api('GET', '/v1/categories')).body.items as { id: string }[];
  const product = (await api('GET', `/v1/categories/${categories[category]!.id}/products?limit=1`)).body
    .items[0] as { id: string };
  expect(
    (await api('PUT', `/v1/cart/items/${product.id}`, { token: customer, json: { quantity: 2 } })).status,
  ).toBe(200);
  const placed = await api('POST', '/v1/orders', {
    token: customer,
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(placed.status).toBe(201);
  const orderId = placed.body.orderId as string;
  await pay(orderId, customer);
  for (const [token, status] of [
    [staff, 'PACKED'],
    [rider, 'OUT_FOR_DELIVERY'],
    [rider, 'DELIVERED'],
  ] as const)
    expect((await api('POST', `/v1/orders/${orderId}/status`, { token, json: { status } })).status).toBe(200);
  return { customer, staff, rider, product, orderId, placed: placed.body };
}

/** Pays the order as the app does: the payment route (the provider simulator), until it is CONFIRMED. */
async function pay(orderId: string, token: string): Promise<void> {
  const paid = await api('POST', `/v1/orders/${orderId}/payments`, {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    json: { method: 'upi', paymentToken: 'tok_success' },
  });
  expect(paid.status).toBe(202);
  await eventually(
    async () => (await api('GET', `/v1/orders/${orderId}`, { token })).body.status as string,
    (status) => status === 'CONFIRMED',
  );
}

describe('a customer who registers in Hindi', () => {
  it('gets Hindi notifications: identity writes the locale the dispatcher reads, and PATCH /v1/me changes it', async () => {
    const email = `hindi-${randomUUID().slice(0, 8)}@example.com`;
    const registered = await api('POST', '/v1/auth/register', {
      json: { email, password: DEFAULT_DEMO_PASSWORD, name: 'Asha', locale: 'hi' },
    });
    expect(registered.status).toBe(201);
    const token = await login(email);
    const me = await api('GET', '/v1/me', { token });
    expect(me.body.locale).toBe('hi');
    const userId = me.body.userId as string;

    // A producer's request (as orders and payments send them), through the platform's queue and bundles.
    const sqs = localClients(platform.resources.endpoints).sqs;
    const notify = async (key: string) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: platform.resources.queueUrls.NotificationRequests!,
          MessageBody: JSON.stringify({
            eventType: 'order.confirmed',
            userId,
            data: { orderId: '01JHINDI0000000000000ORDER', totalPaise: 12_300 },
            idempotencyKey: `e2e-locale:${key}:${userId}`,
            priority: 'transactional',
            channels: ['in_app', 'email'],
            occurredAt: new Date().toISOString(),
          }),
        }),
      );
    await notify('hi');
    const titles = async () =>
      ((await api('GET', '/v1/notifications?limit=10', { token })).body.items as { title: string }[]).map(
        (i) => i.title,
      );
    expect(await eventually(titles, (t) => t.length >= 1)).toEqual(['ऑर्डर की पुष्टि हो गई']);
    const outbox = await eventually(
      async () =>
        (await api('GET', `/local/outbox?userId=${userId}&channel=email`)).body.items as { title: string }[],
      (items) => items.length >= 1,
    );
    expect(outbox.map((i) => i.title)).toEqual(['ऑर्डर की पुष्टि हो गई']);

    const changed = await api('PATCH', '/v1/me', { token, json: { locale: 'en' } });
    expect(changed.status).toBe(200);
    expect(changed.body.locale).toBe('en');
    await notify('en');
    expect(await eventually(titles, (t) => t.length >= 2)).toContain('Order confirmed');
  });
});
