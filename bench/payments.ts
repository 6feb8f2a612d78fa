/**
 * Payment completion: from `POST /v1/orders/{orderId}/payments` to the payment read back as SUCCEEDED
 * (GET /v1/payments/{id}, polled every 25 ms), end to end through the local gateway, the queue, the worker
 * (shared breaker in DynamoDB, the provider simulator at 200 ms latency per call) and the settlement
 * transaction with the order. p50/p99 against the seed's 5 s budget, and payments/s completed.
 *
 * Set-up, not timed: customers registered through the API with their saved location at a seeded open
 * store, a product with big stock; each iteration writes the customer's cart straight into the table and
 * places the order through the API (untimed), then times one payment with `tok_success`.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { localDynamoDb } from '../local/engines/clients';
import type { Platform } from '../local/platform';
import { cartWriter, koramangala, putBenchProduct, registerShoppers } from './shoppers';
import { summarise } from './stats';

export interface PaymentsBenchOptions {
  readonly platform: Platform;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

const PASSWORD = 'Bench-Payments-2026!';
export const PAYMENT_BUDGET_MS = 5_000;
/** The simulator's latency per call in this section (the platform is started with it). */
export const PROVIDER_LATENCY_MS = 200;

export async function benchPayments(opts: PaymentsBenchOptions): Promise<string> {
  const { platform, log, connections } = opts;
  const documents = DynamoDBDocumentClient.from(localDynamoDb(platform.resources.endpoints.dynamodb), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = koramangala(platform);
  const previousLatency = platform.provider.config.latencyMs;
  platform.provider.configure({
    latencyMs: PROVIDER_LATENCY_MS,
    declineRate: 0,
    errorRate: 0,
    timeoutRate: 0,
  });
  try {
    log(`Payments: registering ${connections} customers…`);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${platform.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const productId = ulid();
    await putBenchProduct(platform, documents, store, productId);
    const customers = await registerShoppers(platform, documents, {
      count: connections,
      label: 'payments',
      password: PASSWORD,
      store,
    });
    const carts = cartWriter(platform, documents);

    const placeOrder = async (c: number): Promise<string> => {
      const customer = customers[c]!;
      await carts.write(customer.userId, productId);
      const res = await post('/v1/orders', undefined, {
        authorization: `Bearer ${customer.token}`,
        'idempotency-key': randomUUID(),
      });
      if (res.status !== 201) throw new Error(`checkout answered ${res.status}`);
      return ((await res.json()) as { orderId: string }).orderId;
    };
    const reasons = new Map<string, number>();
    /** Request to SUCCEEDED, in ms; undefined if it ended otherwise or took over 30 s. */
    const payOnce = async (c: number, orderId: string): Promise<number | undefined> => {
      const auth = { authorization: `Bearer ${customers[c]!.token}` };
      const started = performance.now();
      const res = await post(
        `/v1/orders/${orderId}/payments`,
        { method: 'card', paymentToken: 'tok_success' },
        { ...auth, 'idempotency-key': randomUUID() },
      );
      if (res.status !== 202) {
        reasons.set(`POST ${res.status}`, (reasons.get(`POST ${res.status}`) ?? 0) + 1);
        if (reasons.size === 1) log(`Payments: first refusal ${await res.text()}`);
        return undefined;
      }
      const { paymentId } = (await res.json()) as { paymentId: string };
      while (performance.now() - started < 30_000) {
        const read = await fetch(`${platform.url}/v1/payments/${paymentId}`, { headers: auth });
        const body = (await read.json()) as { status: string };
        const { status } = body;
        if (read.status !== 200 && reasons.size === 0)
          log(`Payments: read answered ${read.status} ${JSON.stringify(body)}`);
        if (status === 'SUCCEEDED') return performance.now() - started;
        if (status !== 'PENDING' && status !== 'PROCESSING') {
          reasons.set(status, (reasons.get(status) ?? 0) + 1);
          return undefined;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      return undefined;
    };

    const loop = async (durationMs: number) => {
      const samples: number[] = [];
      let failures = 0;
      const deadline = performance.now() + durationMs;
      const t0 = performance.now();
      await Promise.all(
        customers.map(async (_, c) => {
          while (performance.now() < deadline) {
            const orderId = await placeOrder(c);
            const took = await payOnce(c, orderId);
            if (took === undefined) failures++;
            else samples.push(took);
          }
        }),
      );
      return { ...summarise(samples, performance.now() - t0), failures, samples };
    };
    log(`Payments: warm-up, then ${connections} customers paying in a loop for ${opts.seconds} s…`);
    await loop(3_000);
    const run = await loop(opts.seconds * 1000);
    const within = run.samples.filter((s) => s <= PAYMENT_BUDGET_MS).length;
    const f = (n: number) => n.toFixed(0);
    return [
      '## Payments (request to SUCCEEDED)',
      '',
      `${connections} customers, ${opts.seconds} s after a 3 s warm-up, from this process (fetch). Each iteration places an order through the API (not timed), then times POST /v1/orders/{orderId}/payments (tok_success) until GET /v1/payments/{id} (polled every 25 ms) reads SUCCEEDED: the idempotency record, the payment + order transaction, SQS, the local event source mapping (5 pollers, batches of 5), the worker (shared breaker read and write in DynamoDB, the provider simulator at ${PROVIDER_LATENCY_MS} ms per call), the settlement transaction with the order, the notification. Payments/s counts completed payments over the run, checkouts included in the loop.`,
      '',
      '| payments/s | p50 ms | p99 ms | max ms | within 5 s budget | not SUCCEEDED |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${run.perSecond.toFixed(1)} | ${f(run.p50)} | ${f(run.p99)} | ${f(Math.max(0, ...run.samples))} | ${run.samples.length ? ((within / run.samples.length) * 100).toFixed(1) : '0'}% | ${run.failures}${reasons.size ? ` (${[...reasons].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} |`,
      '',
    ].join('\n');
  } finally {
    platform.provider.configure({ latencyMs: previousLatency });
  }
}
