/**
 * Reservation expiry and order events, on DynamoDB Local and the local SQS engine: orders left unpaid past
 * their reservation are cancelled by the real sweeper handler and their stock comes back exactly once,
 * also with two sweepers racing and a run repeated; every transition's event lands on the queue with a
 * stable id; an event whose publishing failed stays in the order's outbox and the sweeper relays it.
 * Handlers are loaded per environment (a 1-second reservation, a queue of this file's own).
 */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { OrderEvent } from '../../../functions/orders/domain';
import { testClients } from '../../support/engines';
import { lambdaContext } from '../../support/lambda';
import { ok } from '../stores/helpers';
import { orders as api } from './api';
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
  waitFor,
} from './fixtures';

jest.setTimeout(60_000);
const { sqs } = testClients(resources);
afterAll(() => {
  sqs.destroy();
  destroyClients();
});

type Handler = Parameters<typeof api.place>[3];
type Sweeper = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<{ cancelled: number }>;

/** Fresh module instances (their own clients and deps) with these variables, as another Lambda would be. */
function load(env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let loaded!: {
    placeOrder: Handler;
    sweep: Sweeper;
    checkoutDeps: typeof import('../../../functions/orders/checkout-wiring').checkoutDeps;
  };
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      loaded = {
        placeOrder: (require('../../../functions/orders/handlers/place-order') as { handler: Handler })
          .handler,
        sweep: (require('../../../functions/orders/handlers/sweep-reservations') as { handler: Sweeper })
          .handler,
        checkoutDeps: (
          require('../../../functions/orders/checkout-wiring') as typeof import('../../../functions/orders/checkout-wiring')
        ).checkoutDeps,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
  } finally {
    process.env = saved;
  }
  return loaded;
}

const scheduled = () => ({
  source: 'zepto.scheduler',
  scheduleArn: 'arn:aws:scheduler:ap-south-1:000000000000:schedule/default/test',
  scheduledTime: new Date().toISOString(),
  executionId: randomUUID(),
  input: {},
});

let queueUrl: string;
let shop: Awaited<ReturnType<typeof newShop>>;
beforeAll(async () => {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: `order-events-test-${ulid().toLowerCase()}` }),
  );
  queueUrl = created.QueueUrl!;
  shop = await newShop();
});

/** Every event on this file's queue so far (received and deleted), by event id. */
const seen = new Map<string, OrderEvent>();
/** The order's events received so far (at least `count`), or undefined. */
async function receivedFor(orderId: string, count: number): Promise<OrderEvent[] | undefined> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  for (const m of Messages) {
    const event = JSON.parse(m.Body!) as OrderEvent;
    seen.set(`${event.eventId}#${m.MessageId}`, event);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  }
  const mine = [...seen.values()].filter((e) => e.orderId === orderId);
  return mine.length >= count ? mine.sort((a, b) => a.version - b.version) : undefined;
}

const eventsFor = (orderId: string, count: number): Promise<OrderEvent[]> =>
  waitFor(() => receivedFor(orderId, count));

describe('order events', () => {
  it('publishes one event per transition, with a stable id, to the OrderEvents queue', async () => {
    const { placeOrder } = load({ ORDER_EVENTS_QUEUE_URL: queueUrl });
    const p = await newProduct();
    await putStock(shop.storeId, p, 5);
    const [me] = await customersAt(1, shop.storeId, shop.location);
    await putCart(me!.userId, [{ productId: p, quantity: 1 }]);
    const order = ok(await api.place(me!, randomUUID(), undefined, placeOrder), 201);

    const [placed] = await eventsFor(order.orderId, 1);

    expect(placed).toMatchObject({
      eventId: `${order.orderId}:1`,
      type: 'order.placed',
      status: 'PENDING_PAYMENT',
      previousStatus: null,
      customerId: me!.userId,
      storeId: shop.storeId,
      totalPaise: order.totalPaise,
    });
    const { Item } = await documents.send(
      new GetCommand({
        TableName: resources.tableNames.Orders!,
        Key: { orderId: order.orderId },
        ConsistentRead: true,
      }),
    );
    expect(Item?.outbox).toEqual({});
    expect(Item?.outboxShard).toBeUndefined(); // out of the relay's index
  });

  it('keeps the event in the outbox when publishing fails, and the sweeper relays it later', async () => {
    const { checkoutDeps, sweep } = load({ ORDER_EVENTS_QUEUE_URL: queueUrl });
    const failing = { publish: async () => Promise.reject(new Error('SQS is down')) };
    const deps = checkoutDeps(failing);
    const p = await newProduct();
    await putStock(shop.storeId, p, 5);
    const [me] = await customersAt(1, shop.storeId, shop.location);
    await putCart(me!.userId, [{ productId: p, quantity: 1 }]);
    const { placeOrder } = await import('../../../functions/orders/use-cases/checkout');
    // Placed "a minute ago", so the relay (which leaves the last 30 s to the request itself) takes it.
    const order = await placeOrder({ ...deps, now: () => new Date(Date.now() - 60_000) }, me!.userId);
    const before = await documents.send(
      new GetCommand({
        TableName: resources.tableNames.Orders!,
        Key: { orderId: order.orderId },
        ConsistentRead: true,
      }),
    );
    expect(Object.keys(before.Item?.outbox ?? {})).toEqual([`${order.orderId}:1`]);

    // The relay takes the oldest outbox entries first, a bounded batch per run, and other tests' orders in
    // the shared table may be ahead of this one: run the sweeper until it gets there.
    const [relayed] = await waitFor(async () => {
      await sweep(scheduled(), lambdaContext('SweepReservations'));
      return receivedFor(order.orderId, 1);
    }, 45_000);
    expect(relayed?.eventId).toBe(`${order.orderId}:1`);
  });
});

describe('reservation expiry (must hold)', () => {
  it('cancels unpaid orders past their reservation and returns their stock exactly once, with two sweepers racing', async () => {
    const shortLived = load({ RESERVATION_TTL_SECONDS: '1', ORDER_EVENTS_QUEUE_URL: queueUrl });
    const sweepers = [shortLived, load({ ORDER_EVENTS_QUEUE_URL: queueUrl })];
    const p = await newProduct();
    await putStock(shop.storeId, p, 10);
    const customers = await customersAt(4, shop.storeId, shop.location);
    await Promise.all(customers.map((c) => putCart(c.userId, [{ productId: p, quantity: 2 }])));
    const placed = await Promise.all(
      customers.map(async (c) => ok(await api.place(c, randomUUID(), undefined, shortLived.placeOrder), 201)),
    );
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 2, reserved: 8 });
    const lastExpiry = Math.max(...placed.map((o) => Date.parse(o.reservationExpiresAt)));
    await waitFor(async () => (Date.now() > lastExpiry ? true : undefined));

    // Two sweepers at once, then both again (a retried run): each order is cancelled once.
    const runs = await Promise.all(
      sweepers.map((s) => s.sweep(scheduled(), lambdaContext('SweepReservations'))),
    );
    const reruns = await Promise.all(
      sweepers.map((s) => s.sweep(scheduled(), lambdaContext('SweepReservations'))),
    );

    const mine = new Set(placed.map((o) => o.orderId));
    for (const o of placed) {
      const now = ok(await api.get(customers[placed.indexOf(o)]!, o.orderId));
      expect(now.status).toBe('CANCELLED');
      expect(now.cancellation).toEqual({ reason: 'RESERVATION_EXPIRED', by: 'system' });
      expect(now.history.filter((h: { status: string }) => h.status === 'CANCELLED')).toHaveLength(1);
    }
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 10, reserved: 0 });
    // Together the runs cancelled at least these four (other files' expired orders may be among them).
    expect([...runs, ...reruns].reduce((n, r) => n + r.cancelled, 0)).toBeGreaterThanOrEqual(mine.size);
    for (const o of placed) {
      const events = await eventsFor(o.orderId, 2);
      expect(events.map((e) => [e.eventId, e.status, e.reason])).toEqual([
        [`${o.orderId}:1`, 'PENDING_PAYMENT', undefined],
        [`${o.orderId}:2`, 'CANCELLED', 'RESERVATION_EXPIRED'],
      ]);
    }
  });

  it('leaves an order alone that was paid before it expired', async () => {
    const shortLived = load({ RESERVATION_TTL_SECONDS: '1', ORDER_EVENTS_QUEUE_URL: queueUrl });
    const p = await newProduct();
    await putStock(shop.storeId, p, 5);
    const [me] = await customersAt(1, shop.storeId, shop.location);
    await putCart(me!.userId, [{ productId: p, quantity: 1 }]);
    const order = ok(await api.place(me!, randomUUID(), undefined, shortLived.placeOrder), 201);
    const { confirmPayment } = await import('../../../functions/orders/use-cases/lifecycle');
    const { lifecycleDeps } = await import('../../../functions/orders/wiring');
    const { readOnlyPublisher } = await import('../../../functions/orders/adapters/publisher');
    await confirmPayment(lifecycleDeps(readOnlyPublisher), order.orderId);
    await waitFor(async () => (Date.now() > Date.parse(order.reservationExpiresAt) ? true : undefined));

    await shortLived.sweep(scheduled(), lambdaContext('SweepReservations'));

    expect(ok(await api.get(me!, order.orderId)).status).toBe('CONFIRMED');
    expect(await stockOf(shop.storeId, p)).toMatchObject({ available: 4, reserved: 1 });
  });
});
