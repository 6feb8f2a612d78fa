/**
 * The payments integration tests' world: orders placed by the real checkout handler (orders' fixtures),
 * queues of each test file's own (payment and refund requests with their DLQs, notifications), the
 * provider simulator on a free port, and the payment functions loaded as their Lambdas would be —
 * each `load()` is one more execution environment with its own clients, module state and breaker
 * instance. Queue workers are driven by the local platform's own pollers (local/queues.ts), so retries,
 * visibility timeouts and dead-lettering are fauxqs's.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { app } from '../../../lib/app/app';
import { paymentsFunctions } from '../../../lib/app/services/payments';
import { provisionTable } from '../../../local/provision';
import { startQueuePollers, type QueuePollers } from '../../../local/queues';
import {
  startProviderSimulator,
  type ProviderSimulator,
  type SimulatorOptions,
} from '../../../local/provider-simulator';
import { testClients } from '../../support/engines';
import { invoke, lambdaContext, type TestResponse } from '../../support/lambda';
import { orders as ordersApi } from '../orders/api';
import {
  customersAt,
  documents,
  newProduct,
  newShop,
  putCart,
  putStock,
  resources,
  type Caller,
} from '../orders/fixtures';
import { ok } from '../stores/helpers';

export const { sqs, dynamodb } = testClients(resources);

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
type ScheduledHandler = (event: unknown, context: Context) => Promise<Record<string, number>>;

export interface Queues {
  readonly paymentRequests: string;
  readonly paymentRequestsDlq: string;
  readonly refundRequests: string;
  readonly refundRequestsDlq: string;
  readonly notifications: string;
  readonly orderEvents: string;
  /** A Payments table of the file's own (its breaker state is not another file's). */
  readonly paymentsTable: string;
}

/** One queue and its DLQ, redriving after `maxReceiveCount` receives (as the app's ServiceQueue). */
async function queueWithDlq(client: SQSClient, name: string, maxReceiveCount: number) {
  const suffix = ulid().toLowerCase();
  const dlq = (await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq-${suffix}` }))).QueueUrl!;
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
  );
  const queue = (
    await client.send(
      new CreateQueueCommand({
        QueueName: `${name}-${suffix}`,
        Attributes: {
          VisibilityTimeout: '60',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount }),
        },
      }),
    )
  ).QueueUrl!;
  return { queue, dlq };
}

export async function createQueues(): Promise<Queues> {
  const paymentsTable = `payments-test-${ulid().toLowerCase()}`;
  const [payments, refunds, notifications, orderEvents] = await Promise.all([
    provisionTable(
      dynamodb,
      app.tables.find((t) => t.name === 'Payments')!,
      paymentsTable,
    ).then(() => undefined),
    queueWithDlq(sqs, 'payments-test', 5),
    queueWithDlq(sqs, 'refunds-test', 5),
    queueWithDlq(sqs, 'notifications-test', 5),
    queueWithDlq(sqs, 'order-events-test', 5),
  ]).then(
    ([, ...rest]) =>
      rest as [
        Awaited<ReturnType<typeof queueWithDlq>>,
        Awaited<ReturnType<typeof queueWithDlq>>,
        Awaited<ReturnType<typeof queueWithDlq>>,
        Awaited<ReturnType<typeof queueWithDlq>>,
      ],
  );
  return {
    paymentsTable,
    paymentRequests: payments.queue,
    paymentRequestsDlq: payments.dlq,
    refundRequests: refunds.queue,
    refundRequestsDlq: refunds.dlq,
    notifications: notifications.queue,
    orderEvents: orderEvents.queue,
  };
}

/** Messages a queue holds: visible, in flight and delayed. */
export async function depth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed)
  );
}

/** The payment ids of the messages waiting in a DLQ (received with a short visibility, so they stay). */
export async function dlqPaymentIds(dlqUrl: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages) ids.add((JSON.parse(m.Body!) as { paymentId: string }).paymentId);
  }
  return ids;
}

export interface Loaded {
  readonly createPayment: HttpHandler;
  readonly getPayment: HttpHandler;
  readonly webhook: HttpHandler;
  readonly health: HttpHandler;
  readonly paymentWorker: SqsHandler;
  readonly refundWorker: SqsHandler;
  readonly reconcile: ScheduledHandler;
  readonly cancelOrder: HttpHandler;
  readonly placeOrder: HttpHandler;
  readonly sweep: ScheduledHandler;
}

/** The environment the payment functions get (lib/app/env.ts), pointed at this file's queues and simulator. */
export function paymentEnvironment(
  queues: Queues,
  provider: ProviderSimulator,
  extra: Record<string, string> = {},
) {
  return {
    PAYMENTS_TABLE_NAME: queues.paymentsTable,
    PAYMENT_REQUESTS_QUEUE_URL: queues.paymentRequests,
    PAYMENT_REQUESTS_DLQ_URL: queues.paymentRequestsDlq,
    REFUND_REQUESTS_QUEUE_URL: queues.refundRequests,
    NOTIFICATION_REQUESTS_QUEUE_URL: queues.notifications,
    ORDER_EVENTS_QUEUE_URL: queues.orderEvents,
    PAYMENT_PROVIDER: 'simulator',
    PAYMENT_PROVIDER_ENDPOINT: provider.url,
    PAYMENT_PROVIDER_TIMEOUT_MS: '400',
    PAYMENT_RETRY_BASE_SECONDS: '1',
    PAYMENT_PROVIDER_API_KEY_SECRET_VALUE: provider.apiKey,
    PAYMENT_WEBHOOK_SIGNING_SECRET_VALUE: provider.webhookSecret,
    ...extra,
  };
}

/** Fresh module instances with these variables: one more execution environment of every function. */
export function load(env: Record<string, string>): Loaded {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let loaded!: Loaded;
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const h = <T>(path: string) => (require(path) as { handler: T }).handler;
      loaded = {
        createPayment: h('../../../functions/payments/handlers/create-payment'),
        getPayment: h('../../../functions/payments/handlers/get-payment'),
        webhook: h('../../../functions/payments/handlers/webhook'),
        health: h('../../../functions/payments/handlers/provider-health'),
        paymentWorker: h('../../../functions/payments/handlers/payment-worker'),
        refundWorker: h('../../../functions/payments/handlers/refund-worker'),
        reconcile: h('../../../functions/payments/handlers/reconcile'),
        cancelOrder: h('../../../functions/orders/handlers/cancel-order'),
        placeOrder: h('../../../functions/orders/handlers/place-order'),
        sweep: h('../../../functions/orders/handlers/sweep-reservations'),
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
  } finally {
    process.env = saved;
  }
  return loaded;
}

/**
 * Runs the workers on the file's queues with the local platform's pollers. Like Lambda, an environment
 * runs one invocation at a time (the runtime's batch processor is module state): each invocation takes a
 * free environment of `instances`, or waits for one. Every environment is one more "instance" of the
 * consumers (its own breaker object, sharing the stored state).
 */
export function runWorkers(queues: Queues, instances: readonly Loaded[]): QueuePollers {
  const functions = paymentsFunctions.filter((fn) => fn.trigger.kind === 'queue');
  const free = [...instances];
  const waiting: ((env: Loaded) => void)[] = [];
  const acquire = () =>
    free.length > 0 ? Promise.resolve(free.pop()!) : new Promise<Loaded>((resolve) => waiting.push(resolve));
  const release = (env: Loaded) => {
    const next = waiting.shift();
    if (next) next(env);
    else free.push(env);
  };
  return startQueuePollers(functions, {
    sqs,
    queueUrls: { PaymentRequests: queues.paymentRequests, RefundRequests: queues.refundRequests },
    invoke: async (name, event) => {
      const env = await acquire();
      const handler = name === 'ProcessPayments' ? env.paymentWorker : env.refundWorker;
      try {
        const payload = await handler(event as SQSEvent, lambdaContext(name));
        return { ok: true, payload: JSON.stringify(payload) };
      } catch {
        return { ok: false };
      } finally {
        release(env);
      }
    },
  });
}

/** `count` environments of the payment functions with these variables. */
export const loadMany = (count: number, env: Record<string, string>) =>
  Array.from({ length: count }, () => load(env));

export async function startSimulator(opts: SimulatorOptions = {}) {
  return startProviderSimulator({ timeoutDelayMs: 1_500, ...opts });
}

/** A shop with one product in plenty of stock. */
export async function newCatalogue(stock = 100_000) {
  const shop = await newShop();
  const productId = await newProduct({ pricePaise: 25_000 });
  await putStock(shop.storeId, productId, stock);
  return { ...shop, productId };
}

/** `count` customers, each with a placed PENDING_PAYMENT order of one line (the real checkout handler). */
export async function placedOrders(
  shop: Awaited<ReturnType<typeof newCatalogue>>,
  count: number,
  placeOrder?: HttpHandler,
  quantity = 1,
): Promise<
  { customer: Caller; order: { orderId: string; totalPaise: number; reservationExpiresAt: string } }[]
> {
  const customers = await customersAt(count, shop.storeId, shop.location);
  const placed: {
    customer: Caller;
    order: { orderId: string; totalPaise: number; reservationExpiresAt: string };
  }[] = [];
  for (let i = 0; i < customers.length; i += 20) {
    placed.push(
      ...(await Promise.all(
        customers.slice(i, i + 20).map(async (customer) => {
          await putCart(customer.userId, [{ productId: shop.productId, quantity, pricePaise: 25_000 }]);
          const order = ok(await ordersApi.place(customer, randomUUID(), undefined, placeOrder), 201);
          return { customer, order };
        }),
      )),
    );
  }
  return placed;
}

/** One placed order (see `placedOrders`). */
export async function placedOrder(
  shop: Awaited<ReturnType<typeof newCatalogue>>,
  placeOrder?: HttpHandler,
  quantity = 1,
) {
  const [placed] = await placedOrders(shop, 1, placeOrder, quantity);
  return placed!;
}

export const pay = (
  handler: HttpHandler,
  as: Caller,
  orderId: string,
  body: unknown = { method: 'card', paymentToken: 'tok_success' },
  key: string = randomUUID(),
): Promise<TestResponse> =>
  invoke(handler, {
    method: 'POST',
    path: `/v1/orders/${orderId}/payments`,
    pathParameters: { orderId },
    headers: { 'Idempotency-Key': key },
    body,
    as,
  });

export const readPayment = (handler: HttpHandler, as: Caller, paymentId: string) =>
  invoke(handler, { path: `/v1/payments/${paymentId}`, pathParameters: { paymentId }, as });

export const admin: Caller = { userId: randomUUID(), roles: ['admin'] };

export async function orderItem(orderId: string) {
  const { Item } = await documents.send(
    new GetCommand({ TableName: resources.tableNames.Orders!, Key: { orderId }, ConsistentRead: true }),
  );
  return Item!;
}

/** Every payment item of these orders (a consistent scan; the test table is small). */
export async function paymentsOfOrders(table: string, orderIds: readonly string[]) {
  const ids = new Set(orderIds);
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    found.push(...(page.Items ?? []).filter((p) => p.entity === 'Payment' && ids.has(String(p.orderId))));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

export const scheduled = () => ({
  source: 'zepto.scheduler',
  scheduleArn: 'arn:aws:scheduler:ap-south-1:000000000000:schedule/default/test',
  scheduledTime: new Date().toISOString(),
  executionId: randomUUID(),
  input: {},
});

export { documents, resources, waitFor } from '../orders/fixtures';
export { ok };
