/**
 * Payments end to end on DynamoDB Local, the local SQS engine and the provider simulator: paying for an
 * order, the worker settling payment and order together (success, decline, timeout, error then success),
 * idempotency, the order's own view, refunds of cancelled paid orders, webhooks (forged, stale, replayed),
 * the race with reservation expiry, and the reconciliation.
 */
import { randomUUID } from 'node:crypto';
import { DynamoPartialRefunds } from '../../../functions/payments/adapters/dynamodb-partial-refunds';
import { DynamoPaymentsRepository } from '../../../functions/payments/adapters/dynamodb-payments';
import { signPayload } from '../../../functions/payments/signature';
import { invoke, lambdaContext } from '../../support/lambda';
import { orders as ordersApi } from '../orders/api';
import { stockOf } from '../orders/fixtures';
import {
  admin,
  createQueues,
  depth,
  documents,
  load,
  loadMany,
  newCatalogue,
  ok,
  orderItem,
  pay,
  paymentEnvironment,
  paymentsOfOrders,
  placedOrder,
  readPayment,
  resources,
  runWorkers,
  scheduled,
  sqs,
  startSimulator,
  waitFor,
  type Loaded,
  type Queues,
} from './harness';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { requestRefunds } from '../../../functions/shared/published/refund-request';
import type { ProviderSimulator } from '../../../local/provider-simulator';
import type { QueuePollers } from '../../../local/queues';

jest.setTimeout(90_000);

let queues: Queues;
let provider: ProviderSimulator;
let fns: Loaded;
let workers: QueuePollers;
let shop: Awaited<ReturnType<typeof newCatalogue>>;

beforeAll(async () => {
  [queues, provider, shop] = await Promise.all([createQueues(), startSimulator(), newCatalogue()]);
  fns = load(paymentEnvironment(queues, provider));
  workers = runWorkers(queues, [fns, ...loadMany(2, paymentEnvironment(queues, provider))]);
});
afterAll(async () => {
  await workers.stop();
  await provider.close();
  sqs.destroy();
});

async function settled(
  as: { userId: string; roles: string[] } | typeof admin,
  paymentId: string,
  statuses: string[],
) {
  return waitFor(async () => {
    const res = await readPayment(fns.getPayment, as as typeof admin, paymentId);
    return statuses.includes(res.body?.status) ? res.body : undefined;
  }, 60_000);
}

describe('paying for an order', () => {
  it('confirms the order when the charge succeeds, and the order shows its payment', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const accepted = ok(await pay(fns.createPayment, customer, order.orderId), 202);
    expect(accepted).toEqual({ paymentId: expect.any(String), status: 'PENDING' });

    const payment = await settled(customer, accepted.paymentId, ['SUCCEEDED']);

    expect(payment).toMatchObject({
      attempts: 1,
      failureReason: null,
      providerReference: expect.stringMatching(/^ch_/),
      refundedPaise: 0,
    });
    const seen = ok(await ordersApi.get(customer, order.orderId));
    expect(seen.status).toBe('CONFIRMED');
    expect(seen.payment).toEqual({ paymentId: accepted.paymentId, status: 'SUCCEEDED' });
    expect(seen.history.at(-1)).toMatchObject({ status: 'CONFIRMED', by: 'payments' });
    expect(provider.records(accepted.paymentId)).toEqual([
      expect.objectContaining({ type: 'charge', status: 'succeeded', amountPaise: order.totalPaise }),
    ]);
    // The transition's event waits in the order's outbox for the orders relay, like orders' own.
    expect(Object.keys((await orderItem(order.orderId)).outbox)).toContain(`${order.orderId}:2`);
  });

  it('cancels the order (PAYMENT_FAILED) and releases its stock when the charge is declined', async () => {
    const catalogue = await newCatalogue(10);
    const { customer, order } = await placedOrder(catalogue, fns.placeOrder, 3);
    expect(await stockOf(catalogue.storeId, catalogue.productId)).toMatchObject({
      available: 7,
      reserved: 3,
    });
    const { paymentId } = ok(
      await pay(fns.createPayment, customer, order.orderId, { method: 'upi', paymentToken: 'tok_decline' }),
      202,
    );

    const payment = await settled(customer, paymentId, ['FAILED']);

    expect(payment.failureReason).toBe('CARD_DECLINED');
    const seen = ok(await ordersApi.get(customer, order.orderId));
    expect(seen).toMatchObject({
      status: 'CANCELLED',
      cancellation: { reason: 'PAYMENT_FAILED', by: 'payments' },
    });
    expect(seen.payment).toEqual({ paymentId, status: 'FAILED' });
    expect(await stockOf(catalogue.storeId, catalogue.productId)).toMatchObject({
      available: 10,
      reserved: 0,
    });
  });

  it('asks the provider after a timeout instead of charging again', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(
      await pay(fns.createPayment, customer, order.orderId, { method: 'card', paymentToken: 'tok_timeout' }),
      202,
    );

    await settled(customer, paymentId, ['SUCCEEDED']);

    expect(provider.records(paymentId)).toHaveLength(1);
    expect(ok(await ordersApi.get(customer, order.orderId)).status).toBe('CONFIRMED');
  });

  it('retries a provider error with backoff and then succeeds, counting the attempts', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(
      await pay(fns.createPayment, customer, order.orderId, {
        method: 'card',
        paymentToken: 'tok_error_then_success',
      }),
      202,
    );

    const payment = await settled(customer, paymentId, ['SUCCEEDED']);

    expect(payment.attempts).toBe(2);
    expect(provider.records(paymentId)).toHaveLength(1);
  });

  it('lets only the customer and admins read a payment', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(await pay(fns.createPayment, customer, order.orderId), 202);

    expect((await readPayment(fns.getPayment, admin, paymentId)).status).toBe(200);
    const stranger = { userId: randomUUID(), roles: ['customer' as const] };
    expect((await readPayment(fns.getPayment, stranger, paymentId)).status).toBe(404);
    expect((await readPayment(fns.getPayment, customer, paymentId)).body).not.toHaveProperty('paymentToken');
  });
});

describe('refusals (4xx, nothing changes)', () => {
  it('refuses a malformed body, a missing key and another customer’s order', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const bad = await pay(fns.createPayment, customer, order.orderId, { method: 'cash', paymentToken: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['method', 'paymentToken']);
    const noKey = await invoke(fns.createPayment, {
      method: 'POST',
      path: `/v1/orders/${order.orderId}/payments`,
      pathParameters: { orderId: order.orderId },
      body: { method: 'card', paymentToken: 'tok_success' },
      as: customer,
    });
    expect(noKey.status).toBe(400);
    const stranger = { userId: randomUUID(), roles: ['customer' as const] };
    expect((await pay(fns.createPayment, stranger, order.orderId)).status).toBe(404);

    expect((await orderItem(order.orderId)).payment).toBeUndefined();
  });

  it('answers 409 with the reason for an order that is not awaiting payment', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    ok(await ordersApi.cancel(customer, order.orderId));

    const refused = await pay(fns.createPayment, customer, order.orderId);

    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe('ORDER_NOT_PENDING_PAYMENT');
    expect((await orderItem(order.orderId)).payment).toBeUndefined();
  });
});

describe('idempotency (must hold)', () => {
  it('makes one payment of 20 concurrent requests with one Idempotency-Key', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pay(fns.createPayment, customer, order.orderId, undefined, key)),
    );

    expect(answers.every((a) => a.status === 202 || a.status === 409)).toBe(true);
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    expect(new Set(accepted.map((a) => a.body.paymentId)).size).toBe(1);
    expect(await paymentsOfOrders(queues.paymentsTable, [order.orderId])).toHaveLength(1);
    await settled(customer, accepted[0]!.body.paymentId, ['SUCCEEDED']);
    const replay = await pay(fns.createPayment, customer, order.orderId, undefined, key);
    expect(replay).toMatchObject({ status: 202, headers: { 'idempotent-replayed': 'true' } });
  });

  it('charges at most once for two keys on one order', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);

    const [a, b] = await Promise.all([
      pay(fns.createPayment, customer, order.orderId),
      pay(fns.createPayment, customer, order.orderId),
    ]);

    const statuses = [a!.status, b!.status].sort();
    expect(statuses).toEqual([202, 409]);
    const refused = [a!, b!].find((r) => r.status === 409)!;
    expect(refused.body.reason).toBe('PAYMENT_EXISTS');
    const { paymentId } = [a!, b!].find((r) => r.status === 202)!.body;
    await settled(customer, paymentId, ['SUCCEEDED']);
    const payments = await paymentsOfOrders(queues.paymentsTable, [order.orderId]);
    expect(payments).toHaveLength(1);
    expect(provider.records().filter((r) => r.paymentId === paymentId && r.type === 'charge')).toHaveLength(
      1,
    );
  });
});

const cancel = (
  handler: Loaded['cancelOrder'],
  as: { userId: string; roles: 'customer'[] },
  orderId: string,
) =>
  invoke(handler, {
    method: 'POST',
    path: `/v1/orders/${orderId}/cancel`,
    pathParameters: { orderId },
    headers: { 'Idempotency-Key': randomUUID() },
    body: { reason: 'Changed my mind' },
    as,
  });

/** Notification requests on this file's queue so far, by idempotency key. */
const notifications = new Map<string, { eventType: string; userId: string; data: Record<string, unknown> }>();
async function notified(key: string) {
  return waitFor(async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.notifications,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    for (const m of Messages) {
      const request = JSON.parse(m.Body!) as {
        idempotencyKey: string;
        eventType: string;
        userId: string;
        data: Record<string, unknown>;
      };
      notifications.set(request.idempotencyKey, request);
    }
    return notifications.get(key);
  });
}

describe('refunds', () => {
  it('refunds a paid order the customer cancels (REFUND_PENDING → REFUNDED), once, and tells the customer', async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(await pay(fns.createPayment, customer, order.orderId), 202);
    await settled(customer, paymentId, ['SUCCEEDED']);
    expect((await notified(`payment.succeeded:${paymentId}`)).userId).toBe(customer.userId);

    const cancelled = ok(await cancel(fns.cancelOrder, customer as never, order.orderId));
    expect(cancelled.refund).toEqual({ status: 'PENDING', amountPaise: order.totalPaise, paymentId });

    const payment = await settled(customer, paymentId, ['REFUNDED']);
    expect(payment.refundedPaise).toBe(order.totalPaise);
    expect(payment.refund).toMatchObject({
      reason: 'ORDER_CANCELLED',
      attempts: 1,
      providerReference: expect.stringMatching(/^re_/),
    });
    expect(provider.records(paymentId).map((r) => [r.type, r.status])).toEqual([
      ['charge', 'succeeded'],
      ['refund', 'succeeded'],
    ]);
    expect((await orderItem(order.orderId)).payment).toEqual({ paymentId, status: 'REFUNDED' });
    // The order's own view settles with the payment: never a refund pending that was made.
    expect(ok(await ordersApi.get(customer, order.orderId)).refund).toEqual({
      status: 'REFUNDED',
      amountPaise: order.totalPaise,
      paymentId,
      refundedAt: expect.any(String),
    });
    expect((await notified(`payment.refunded:${paymentId}`)).data).toMatchObject({ orderId: order.orderId });
  });

  it("refunds an exchange's lines as part of the payment, once per exchange, never past what was charged", async () => {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(await pay(fns.createPayment, customer, order.orderId), 202);
    await settled(customer, paymentId, ['SUCCEEDED']);
    // Two exchanges of the order whose replacements were out of stock, as the exchanges service leaves
    // them: one of 15 rupees, one asking for the whole order again.
    const exchange = (amountPaise: number) =>
      unavailableExchange({ orderId: order.orderId, customerId: customer.userId, paymentId }, amountPaise);
    const small = await exchange(1_500);
    const tooMuch = await exchange(order.totalPaise);
    const ask = (e: { exchangeId: string; amountPaise: number }) => ({
      paymentId,
      orderId: order.orderId,
      reason: 'EXCHANGE_UNAVAILABLE' as const,
      exchangeId: e.exchangeId,
      amountPaise: e.amountPaise,
      requestedAt: new Date().toISOString(),
    });
    // The small one twice (a redelivery, or the relay after the request's own send).
    await requestRefunds(queues.refundRequests, [ask(small), ask(small)]);
    const settledExchange = await waitFor(async () => {
      const item = await exchangeItem(small.exchangeId);
      return item.refund.status === 'REFUNDED' ? item : undefined;
    }, 30_000);
    expect(settledExchange.refund).toEqual({
      status: 'REFUNDED',
      amountPaise: 1_500,
      refundedAt: expect.any(String),
      providerReference: expect.stringMatching(/^re_/),
    });
    expect((await notified(`payment.refunded:${paymentId}:${small.exchangeId}`)).data).toMatchObject({
      exchangeId: small.exchangeId,
      amountPaise: 1_500,
    });

    // The rest of the payment cannot cover the second: refused, nothing refunded for it.
    await requestRefunds(queues.refundRequests, [ask(tooMuch)]);
    await waitFor(async () => ((await depth(queues.refundRequests)) === 0 ? true : undefined), 30_000);
    expect((await exchangeItem(tooMuch.exchangeId)).refund.status).toBe('PENDING');

    const payment = await settled(customer, paymentId, ['SUCCEEDED']);
    expect(payment.status).toBe('SUCCEEDED');
    // The payment shows what went back of it; it stays SUCCEEDED.
    expect(payment.refundedPaise).toBe(1_500);
    expect(provider.records(paymentId).map((r) => [r.type, r.amountPaise])).toEqual([
      ['charge', order.totalPaise],
      ['refund', 1_500],
    ]);
  });
});

/**
 * A paid order with an exchange whose replacement was out of stock, and its part refund of `amountPaise`
 * opened at `at` as the refund worker opens one before it calls the provider.
 */
async function openedPartRefund(amountPaise: number, at: string) {
  const { customer, order } = await placedOrder(shop, fns.placeOrder);
  const { paymentId } = ok(await pay(fns.createPayment, customer, order.orderId), 202);
  await settled(customer, paymentId, ['SUCCEEDED']);
  const { exchangeId } = await unavailableExchange(
    { orderId: order.orderId, customerId: customer.userId, paymentId },
    amountPaise,
  );
  const refunds = new DynamoPartialRefunds(documents, {
    payments: queues.paymentsTable,
    exchanges: resources.tableNames.Exchanges!,
  });
  const payment = await new DynamoPaymentsRepository(documents, {
    payments: queues.paymentsTable,
    orders: resources.tableNames.Orders!,
    inventory: resources.tableNames.Inventory!,
  }).get(paymentId);
  const opened = await refunds.open(payment!, { exchangeId, amountPaise }, at);
  if (opened === 'refused') throw new Error('The part refund was refused');
  return { customer, order, paymentId, exchangeId, opened, refunds };
}

/** An exchange as the exchanges service leaves one whose replacement was out of stock (published/exchange-refund.ts). */
async function unavailableExchange(
  of: { orderId: string; customerId: string; paymentId: string },
  amountPaise: number,
) {
  const exchangeId = ulid();
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Exchanges!,
      Item: {
        exchangeId,
        entity: 'Exchange',
        ...of,
        status: 'REPLACEMENT_UNAVAILABLE',
        refund: { status: 'PENDING', amountPaise },
        outbox: {},
      },
    }),
  );
  return { exchangeId, amountPaise };
}

async function exchangeItem(exchangeId: string) {
  const { Item } = await documents.send(
    new GetCommand({ TableName: resources.tableNames.Exchanges!, Key: { exchangeId }, ConsistentRead: true }),
  );
  return Item as { refund: { status: string; amountPaise: number } };
}

function signedWebhook(body: object, opts: { secret?: string; at?: number } = {}) {
  const raw = JSON.stringify(body);
  const at = opts.at ?? Math.floor(Date.now() / 1000);
  return {
    raw,
    send: (signature = signPayload(opts.secret ?? provider.webhookSecret, raw, at), text = raw) =>
      invoke(fns.webhook, {
        method: 'POST',
        path: '/v1/payments/webhooks/simulator',
        pathParameters: { provider: 'simulator' },
        headers: { 'X-Zepto-Signature': signature },
        body: text,
      }),
  };
}

describe('webhooks (must hold: forged, stale and replayed webhooks change nothing)', () => {
  /** A payment recorded but not yet worked on: its message goes to a queue nobody consumes. */
  let parked: Loaded;
  beforeAll(async () => {
    const elsewhere = await createQueues();
    parked = load(
      paymentEnvironment(queues, provider, { PAYMENT_REQUESTS_QUEUE_URL: elsewhere.paymentRequests }),
    );
  });
  async function pendingPayment() {
    const { customer, order } = await placedOrder(shop, fns.placeOrder);
    const { paymentId } = ok(await pay(parked.createPayment, customer, order.orderId), 202);
    return { customer: customer, order: order!, paymentId };
  }
  const succeeded = (paymentId: string, id = `evt_${randomUUID()}`) => ({
    id,
    type: 'charge.succeeded',
    data: { id: `ch_${randomUUID().slice(0, 8)}`, paymentId, status: 'succeeded' },
  });

  it('settles a payment from a correctly signed webhook', async () => {
    const { customer, order, paymentId } = await pendingPayment();

    const res = await signedWebhook(succeeded(paymentId)).send();

    expect(res).toMatchObject({ status: 200, body: { received: true, duplicate: false, applied: true } });
    expect(ok(await readPayment(fns.getPayment, customer, paymentId)).status).toBe('SUCCEEDED');
    expect(ok(await ordersApi.get(customer, order.orderId)).status).toBe('CONFIRMED');
  });

  it("settles an exchange's part refund from its webhook, and never the whole payment", async () => {
    // Opened (as the refund worker does before it calls the provider), then the provider's word arrives.
    const { customer, paymentId, exchangeId, opened, refunds } = await openedPartRefund(
      700,
      new Date().toISOString(),
    );
    expect(opened).toMatchObject({ status: 'PENDING', amountPaise: 700 });

    const res = await signedWebhook({
      id: `evt_${randomUUID()}`,
      type: 'refund.succeeded',
      data: {
        id: 're_webhook1',
        paymentId,
        refundKey: `refund:${paymentId}:${exchangeId}`,
        status: 'succeeded',
      },
    }).send();

    expect(res).toMatchObject({ status: 200, body: { applied: true } });
    expect((await refunds.get(paymentId, exchangeId))?.status).toBe('REFUNDED');
    expect((await exchangeItem(exchangeId)).refund).toMatchObject({
      status: 'REFUNDED',
      providerReference: 're_webhook1',
    });
    expect(ok(await readPayment(fns.getPayment, customer, paymentId)).status).toBe('SUCCEEDED');
  });

  it('refuses forged, tampered and stale signatures with 401 and changes nothing', async () => {
    const { customer, paymentId } = await pendingPayment();
    const before = ok(await readPayment(fns.getPayment, customer, paymentId));
    const hook = signedWebhook(succeeded(paymentId));

    const forged = await signedWebhook(succeeded(paymentId), { secret: 'not-the-secret' }).send();
    const tampered = await hook.send(undefined, hook.raw.replace('succeeded', 'succeeded '));
    const stale = await signedWebhook(succeeded(paymentId), {
      at: Math.floor(Date.now() / 1000) - 301,
    }).send();
    const missing = await hook.send('');

    for (const res of [forged, tampered, stale, missing]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(ok(await readPayment(fns.getPayment, customer, paymentId))).toEqual(before);
  });

  it('ignores a replayed event id', async () => {
    const { customer, order, paymentId } = await pendingPayment();
    const event = succeeded(paymentId);
    ok(await signedWebhook(event).send());
    const after = ok(await readPayment(fns.getPayment, customer, paymentId));
    const orderAfter = await orderItem(order.orderId);

    // The same event again (even re-signed now), and a "declined" one under the same id.
    const replay = await signedWebhook(event).send();
    const sameId = await signedWebhook({
      ...event,
      type: 'charge.failed',
      data: { ...event.data, status: 'failed' },
    }).send();

    expect(replay.body).toEqual({ received: true, duplicate: true, applied: false });
    expect(sameId.body).toEqual({ received: true, duplicate: true, applied: false });
    expect(ok(await readPayment(fns.getPayment, customer, paymentId))).toEqual(after);
    expect((await orderItem(order.orderId)).version).toBe(orderAfter.version);
  });
});

describe('the race with reservation expiry (must hold)', () => {
  let late: Loaded;
  let lateQueues: Queues;
  // Each test its own queues, workers started when the test wants the charge to happen. Orders placed by
  // this environment hold their stock for 2 s only.
  beforeEach(async () => {
    lateQueues = await createQueues();
    late = load(paymentEnvironment(lateQueues, provider, { RESERVATION_TTL_SECONDS: '2' }));
  });

  it('refunds a charge that succeeds after the reservation expired; the order stays cancelled', async () => {
    const { customer, order } = await placedOrder(shop, late.placeOrder);
    const { paymentId } = ok(await pay(late.createPayment, customer, order.orderId), 202);
    await waitFor(async () => (Date.now() > Date.parse(order.reservationExpiresAt) ? true : undefined));

    // The worker charges only now: past the reservation, before the sweeper got to the order.
    const lateWorkers = runWorkers(lateQueues, [
      late,
      load(paymentEnvironment(lateQueues, provider, { RESERVATION_TTL_SECONDS: '2' })),
    ]);
    try {
      const payment = await waitFor(async () => {
        const p = ok(await readPayment(late.getPayment, customer, paymentId));
        return p.status === 'REFUNDED' ? p : undefined;
      }, 60_000);
      expect(payment.refund.reason).toBe('LATE_PAYMENT');
      // The sweeper cancels the oldest expired orders first, a bounded batch per run, and other tests'
      // expired orders in the shared table may be ahead of this one: run it until it gets there.
      const seen = await waitFor(async () => {
        await late.sweep(scheduled(), lambdaContext('SweepReservations'));
        const o = ok(await ordersApi.get(customer, order.orderId));
        return o.status === 'PENDING_PAYMENT' ? undefined : o;
      }, 45_000);
      expect(seen.status).toBe('CANCELLED');
      expect(seen.history.map((h: { status: string }) => h.status)).not.toContain('CONFIRMED');
      expect(provider.records(paymentId).map((r) => r.type)).toEqual(['charge', 'refund']);
      // Cancelled unpaid, then charged late: the order shows the refund it got.
      expect(seen.refund).toMatchObject({ status: 'REFUNDED', amountPaise: order.totalPaise, paymentId });
    } finally {
      await lateWorkers.stop();
    }
  });

  it('refunds a charge that succeeds after the order was cancelled', async () => {
    const { customer, order } = await placedOrder(shop, late.placeOrder);
    const { paymentId } = ok(await pay(late.createPayment, customer, order.orderId), 202);
    ok(await cancel(late.cancelOrder, customer as never, order.orderId));

    const lateWorkers = runWorkers(lateQueues, [
      late,
      load(paymentEnvironment(lateQueues, provider, { RESERVATION_TTL_SECONDS: '2' })),
    ]);
    try {
      await waitFor(async () => {
        const p = ok(await readPayment(late.getPayment, customer, paymentId));
        return p.status === 'REFUNDED' ? p : undefined;
      }, 60_000);
      expect(ok(await ordersApi.get(customer, order.orderId)).status).toBe('CANCELLED');
    } finally {
      await lateWorkers.stop();
    }
  });

  it('never lets an expiring order cancel a confirmed one', async () => {
    const { customer, order } = await placedOrder(shop, late.placeOrder);
    const { paymentId } = ok(await pay(late.createPayment, customer, order.orderId), 202);
    const lateWorkers = runWorkers(lateQueues, [
      late,
      load(paymentEnvironment(lateQueues, provider, { RESERVATION_TTL_SECONDS: '2' })),
    ]);
    try {
      await waitFor(async () => {
        const p = ok(await readPayment(late.getPayment, customer, paymentId));
        return p.status === 'SUCCEEDED' ? p : undefined;
      }, 60_000);
    } finally {
      await lateWorkers.stop();
    }
    await waitFor(async () => (Date.now() > Date.parse(order.reservationExpiresAt) ? true : undefined));

    await late.sweep(scheduled(), lambdaContext('SweepReservations'));

    expect(ok(await ordersApi.get(customer, order.orderId)).status).toBe('CONFIRMED');
  });
});

describe('reconciliation', () => {
  it('settles a payment stuck PROCESSING from the provider’s record of its charge', async () => {
    const recon = await createQueues();
    const env = paymentEnvironment(recon, provider);
    const loaded = load(env);
    const { customer, order } = await placedOrder(shop, loaded.placeOrder);
    const { paymentId } = ok(await pay(loaded.createPayment, customer, order.orderId), 202);
    // The charge happened at the provider but its answer never reached us (the worker died meanwhile).
    const { DynamoPaymentsRepository } =
      await import('../../../functions/payments/adapters/dynamodb-payments');
    const { documents } = await import('./harness');
    const repository = new DynamoPaymentsRepository(documents, {
      payments: recon.paymentsTable,
      orders: (await import('./harness')).resources.tableNames.Orders!,
      inventory: (await import('./harness')).resources.tableNames.Inventory!,
    });
    const longAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    await repository.startAttempt(paymentId, longAgo);
    const charged = await fetch(`${provider.url}/v1/charges`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.apiKey}`,
        'idempotency-key': paymentId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        paymentId,
        amountPaise: order.totalPaise,
        token: 'tok_success',
        method: 'card',
      }),
    });
    expect(charged.status).toBe(200);

    const result = await loaded.reconcile(scheduled(), lambdaContext('ReconcilePayments'));

    expect(result.settled).toBeGreaterThanOrEqual(1);
    expect(ok(await readPayment(loaded.getPayment, customer, paymentId)).status).toBe('SUCCEEDED');
    expect(ok(await ordersApi.get(customer, order.orderId)).status).toBe('CONFIRMED');
    expect(provider.records(paymentId)).toHaveLength(1);
  });

  it("settles an exchange's part refund stuck PENDING from the provider's refund under its key", async () => {
    // The worker opened the part refund and asked the provider five minutes ago, and never heard back.
    const longAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    const { customer, order, paymentId, exchangeId, opened, refunds } = await openedPartRefund(900, longAgo);
    await refunds.startAttempt(opened, longAgo);
    const refunded = await fetch(`${provider.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.apiKey}`,
        'idempotency-key': `refund:${paymentId}:${exchangeId}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ paymentId, amountPaise: 900 }),
    });
    expect(refunded.status).toBe(200);

    const result = await fns.reconcile(scheduled(), lambdaContext('ReconcilePayments'));

    expect(result.refunded).toBeGreaterThanOrEqual(1);
    expect(await refunds.get(paymentId, exchangeId)).toMatchObject({
      status: 'REFUNDED',
      providerReference: expect.stringMatching(/^re_/),
    });
    expect((await exchangeItem(exchangeId)).refund).toMatchObject({ status: 'REFUNDED', amountPaise: 900 });
    expect((await notified(`payment.refunded:${paymentId}:${exchangeId}`)).data).toMatchObject({
      exchangeId,
      amountPaise: 900,
    });
    expect(ok(await readPayment(fns.getPayment, customer, paymentId))).toMatchObject({
      status: 'SUCCEEDED',
      refundedPaise: 900,
    });
    // Settled, it left the reconciliation's index: the next run finds nothing of it to do.
    const { Item } = await documents.send(
      new GetCommand({
        TableName: queues.paymentsTable,
        Key: { pk: `REFUND#${paymentId}#${exchangeId}` },
        ConsistentRead: true,
      }),
    );
    expect(Item).not.toHaveProperty('openShard');
    expect(provider.records(paymentId).map((r) => [r.type, r.amountPaise])).toEqual([
      ['charge', order.totalPaise],
      ['refund', 900],
    ]);
  });
});
