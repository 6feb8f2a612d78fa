/**
 * Payments under a misbehaving provider (must hold), on the real local engines with two "instances" of
 * every worker (two module loads: two breakers objects, one stored state):
 * - declining 20%, failing 30% and timing out 10% of calls, 200 payments all end SUCCEEDED, FAILED or in
 *   the DLQ (its depth, the alarm's metric, counting exactly those), with never two charges for one
 *   payment id nor a charge for a FAILED payment;
 * - with the provider down, the breaker opens for every instance, payments are deferred (no attempt
 *   burned), and they complete once it recovers; product and cart reads are unaffected.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoPaymentsRepository } from '../../../functions/payments/adapters/dynamodb-payments';
import { DynamoSharedBreaker } from '../../../functions/payments/adapters/shared-breaker';
import { BreakerOpenError } from '../../../functions/payments/domain';
import { handler as getProduct } from '../../../functions/catalog/handlers/get-product';
import type { ProviderSimulator } from '../../../local/provider-simulator';
import { invoke } from '../../support/lambda';
import { cart } from '../orders/api';
import {
  admin,
  createQueues,
  depth,
  dlqPaymentIds,
  documents,
  loadMany,
  newCatalogue,
  ok,
  orderItem,
  pay,
  paymentEnvironment,
  paymentsOfOrders,
  placedOrders,
  runWorkers,
  sqs,
  startSimulator,
  waitFor,
} from './harness';

jest.setTimeout(600_000);

const providers: ProviderSimulator[] = [];
afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  sqs.destroy();
});

it('settles 200 payments as SUCCEEDED, FAILED or dead-lettered with the provider declining 20%, failing 30% and timing out 10%', async () => {
  const provider = await startSimulator({ declineRate: 0.2, errorRate: 0.3, timeoutRate: 0.1 });
  providers.push(provider);
  const queues = await createQueues();
  const env = paymentEnvironment(queues, provider);
  const instances = loadMany(4, env);
  const shop = await newCatalogue();
  const placed = await placedOrders(shop, 200, instances[0]!.placeOrder);
  const workers = runWorkers(queues, instances);
  try {
    const paymentIds = new Map<string, string>();
    for (let i = 0; i < placed.length; i += 25)
      await Promise.all(
        placed.slice(i, i + 25).map(async ({ customer, order }, j) => {
          const res = ok(
            await pay(instances[(i + j) % 2]!.createPayment, customer, order.orderId, {
              method: (i + j) % 3 === 0 ? 'upi' : 'card',
              paymentToken: 'tok_visa',
            }),
            202,
          );
          paymentIds.set(res.paymentId, order.orderId);
        }),
      );
    const orderIds = placed.map((p) => p.order.orderId);

    // Until every payment is settled or its message waits in the DLQ.
    const final = await waitFor(async () => {
      const payments = await paymentsOfOrders(queues.paymentsTable, orderIds);
      const open = payments.filter((p) => p.status !== 'SUCCEEDED' && p.status !== 'FAILED');
      const dead = open.length === 0 ? 0 : await depth(queues.paymentRequestsDlq);
      return open.length === dead && (await depth(queues.paymentRequests)) === 0 ? payments : undefined;
    }, 500_000);

    expect(final).toHaveLength(200);
    const open = final.filter((p) => p.status !== 'SUCCEEDED' && p.status !== 'FAILED');
    // The DLQ alarm watches this metric (visible messages ≥ 1): raised exactly when payments are unsettled.
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queues.paymentRequestsDlq,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Number(Attributes?.ApproximateNumberOfMessages)).toBe(open.length);
    // None silently stuck: every unsettled one is PROCESSING with its reason, its message in the DLQ.
    const dead = await dlqPaymentIds(queues.paymentRequestsDlq);
    expect(new Set(open.map((p) => String(p.paymentId)))).toEqual(dead);
    for (const p of open)
      expect(p).toMatchObject({ status: 'PROCESSING', failureReason: expect.any(String) });

    for (const p of final) {
      const charges = provider.records(String(p.paymentId)).filter((r) => r.type === 'charge');
      expect(charges.length).toBeLessThanOrEqual(1);
      if (p.status === 'FAILED') expect(charges.filter((c) => c.status === 'succeeded')).toEqual([]);
      if (p.status === 'SUCCEEDED') expect(charges.map((c) => c.status)).toEqual(['succeeded']);
    }
    const sample = final.filter((p) => p.status !== 'PROCESSING').slice(0, 40);
    for (const p of sample) {
      const order = await orderItem(String(p.orderId));
      expect(order.status).toBe(p.status === 'SUCCEEDED' ? 'CONFIRMED' : 'CANCELLED');
    }
    // Both statuses occur at these rates (a test of the rates, not of luck: P(no decline in 200) ≈ 0).
    expect(final.some((p) => p.status === 'SUCCEEDED')).toBe(true);
    expect(final.some((p) => p.status === 'FAILED')).toBe(true);
  } finally {
    await workers.stop();
  }
});

it('opens the shared breaker for every instance when the provider is down, defers payments, and completes them once it recovers', async () => {
  const provider = await startSimulator({ down: true });
  providers.push(provider);
  const queues = await createQueues();
  const env = paymentEnvironment(queues, provider);
  const instances = loadMany(4, env);
  const shop = await newCatalogue();
  const placed = await placedOrders(shop, 30, instances[0]!.placeOrder);
  const workers = runWorkers(queues, instances);
  try {
    const paymentIds: string[] = [];
    await Promise.all(
      placed.map(async ({ customer, order }, i) => {
        paymentIds.push(
          ok(await pay(instances[i % 2]!.createPayment, customer, order.orderId), 202).paymentId,
        );
      }),
    );

    const health = () =>
      invoke(instances[1]!.health, { path: '/v1/admin/payments/provider-health', as: admin });
    const opened = await waitFor(async () => {
      const res = ok(await health());
      return res.breaker === 'open' ? res : undefined;
    }, 60_000);
    expect(opened.failureRate).toBeGreaterThan(0.6);

    // Any instance (here: two more, built on the same stored state) refuses without calling the provider.
    const repository = (table: string) =>
      new DynamoPaymentsRepository(documents, { payments: table, orders: '', inventory: '' });
    const calls: string[] = [];
    for (const instance of [0, 1]) {
      const breaker = new DynamoSharedBreaker(repository(queues.paymentsTable), 'simulator');
      await expect(breaker.execute(async () => calls.push(`instance ${instance}`))).rejects.toBeInstanceOf(
        BreakerOpenError,
      );
    }
    expect(calls).toEqual([]);
    // Deferred: put back with a delay instead of failing (no receive, no attempt spent).
    await waitFor(async () => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queues.paymentRequests,
          AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessagesDelayed) > 0 ? true : undefined;
    }, 60_000);
    // Product and cart reads do not go near the provider.
    const product = await invoke(getProduct, {
      path: `/v1/products/${shop.productId}`,
      pathParameters: { productId: shop.productId },
      query: { storeId: shop.storeId },
    });
    expect(product.status).toBe(200);
    expect((await cart.get(placed[0]!.customer)).status).toBe(200);

    provider.configure({ down: false });

    const settled = await waitFor(async () => {
      const payments = await paymentsOfOrders(
        queues.paymentsTable,
        placed.map((p) => p.order.orderId),
      );
      return payments.every((p) => p.status === 'SUCCEEDED') ? payments : undefined;
    }, 300_000);
    expect(settled).toHaveLength(30);
    expect(await depth(queues.paymentRequestsDlq)).toBe(0);
    // Waiting out the outage cost no more than the attempts the queue allows.
    for (const p of settled) expect(Number(p.attempts)).toBeLessThanOrEqual(5);
    expect(ok(await health()).breaker).toBe('closed');
    for (const id of paymentIds)
      expect(provider.records(id).filter((r) => r.type === 'charge')).toHaveLength(1);
  } finally {
    await workers.stop();
  }
});
