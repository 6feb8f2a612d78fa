/**
 * Checkout throughput: POST /v1/orders through the local gateway (authorizer, runner, idempotency layer,
 * checkout use case) at 32 connections, against raw TransactWriteItems of the same shape (order put, cart
 * delete conditional on its version, one conditional stock update) sent straight to the same DynamoDB
 * Local at the same concurrency, in the same run, and against the checkout's own requests sent straight
 * from here (the route's floor on these engines). Twice: every connection on a product of its own
 * (distinct items), and every connection on one hot product (all transactions touch one stock line).
 *
 * Set-up, not timed (bench/shoppers.ts): 32 registered customers (one per connection: each has one cart),
 * their saved location at a seeded open store, big stock lines. Each timed iteration first writes the
 * connection's cart straight into the table (untimed), then times one checkout (or one raw transaction, or
 * one run of the checkout's requests).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { cartCacheEntry, cartKey } from '../functions/shared/published/cart';
import { readProductsForSale } from '../functions/shared/published/product';
import { readSavedLocation } from '../functions/shared/published/saved-location';
import { storeKey } from '../functions/shared/published/store-access';
import { STORE_OPENING_ATTRIBUTES } from '../functions/shared/published/store-hours';
import { incrementStoreLoad } from '../functions/shared/published/store-load';
import { stockCacheEntry, stockKey } from '../functions/shared/published/stock';
import { localClients, localDynamoDb } from '../local/engines/clients';
import type { Platform } from '../local/platform';
import { benchLocation, cartWriter, koramangala, putBenchProduct, registerShoppers } from './shoppers';
import { summarise, type Summary } from './stats';

export interface OrdersBenchOptions {
  readonly platform: Platform;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

interface Run extends Summary {
  readonly failures: number;
}

const PASSWORD = 'Bench-Orders-2026!';

async function timedLoop(
  connections: number,
  durationMs: number,
  prepare: (c: number) => Promise<void>,
  task: (c: number) => Promise<boolean>,
): Promise<Run> {
  const samples: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < deadline) {
        await prepare(c);
        const t = performance.now();
        const ok = await task(c);
        const took = performance.now() - t;
        if (ok) samples.push(took);
        else failures++;
      }
    }),
  );
  return { ...summarise(samples, durationMs), failures };
}

export async function benchOrders(opts: OrdersBenchOptions): Promise<string> {
  const { platform, log, connections } = opts;
  const { tableNames } = platform.resources;
  const documents = DynamoDBDocumentClient.from(localDynamoDb(platform.resources.endpoints.dynamodb), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = koramangala(platform);
  // Same shape on both sides: the raw side has `connections` transactions in flight, and Lambda would run
  // as many checkout environments as there are concurrent requests; the local pool's default (4) would
  // queue 28 of the 32 requests in the runner and measure the pool, not the function.
  platform.runner.setConcurrency('PlaceOrder', connections);
  const environments = () =>
    platform.runner.stats().find((s) => s.name === 'PlaceOrder')?.environments ?? connections;
  try {
    log(`Orders: registering ${connections} customers…`);
    const customers = await registerShoppers(platform, documents, {
      count: connections,
      label: 'orders',
      password: PASSWORD,
      store,
    });
    const distinct = Array.from({ length: connections }, () => ulid());
    const hot = ulid();
    const now = () => new Date().toISOString();
    await Promise.all(
      [...distinct, hot].map((productId) => putBenchProduct(platform, documents, store, productId)),
    );
    const carts = cartWriter(platform, documents);

    const checkout = async (c: number) => {
      const res = await fetch(`${platform.url}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customers[c]!.token}`, 'idempotency-key': randomUUID() },
      });
      await res.arrayBuffer();
      return res.status === 201;
    };
    const raw = async (c: number, productId: string, orderId = ulid()) => {
      const userId = customers[c]!.userId;
      const at = now();
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableNames.Orders!,
                  Item: {
                    orderId,
                    customerId: userId,
                    storeId: store.id,
                    status: 'PENDING_PAYMENT',
                    lines: [
                      {
                        productId,
                        name: 'Bench',
                        unit: '1 kg',
                        quantity: 1,
                        unitPricePaise: 9_900,
                        linePaise: 9_900,
                      },
                    ],
                    subtotalPaise: 9_900,
                    deliveryFeePaise: 3_000,
                    totalPaise: 12_900,
                    currency: 'INR',
                    deliveryLocation: benchLocation,
                    reservationExpiresAt: at,
                    createdAt: at,
                    updatedAt: at,
                    version: 1,
                    history: [{ status: 'PENDING_PAYMENT', at, by: 'customer' }],
                    storeStatus: `${store.id}#PENDING_PAYMENT`,
                    expiryShard: 'BENCH', // not the sweeper's shard: these rows are never swept
                    reservationExpiresAtMs: Date.now(),
                    outbox: {},
                  },
                  ConditionExpression: 'attribute_not_exists(orderId)',
                },
              },
              {
                Delete: {
                  TableName: tableNames.Carts!,
                  Key: cartKey(userId),
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':v': carts.version(userId) },
                },
              },
              {
                Update: {
                  TableName: tableNames.Inventory!,
                  Key: stockKey(store.id, productId),
                  UpdateExpression:
                    'SET available = available - :q, reserved = reserved + :q, version = version + :one, updatedAt = :now',
                  ConditionExpression: 'attribute_exists(productId) AND available >= :q',
                  ExpressionAttributeValues: { ':q': 1, ':one': 1, ':now': at },
                },
              },
            ],
          }),
        );
        return true;
      } catch {
        return false;
      }
    };

    // The floor of the route: a checkout's own requests, in its order and parallelism, sent straight from
    // here (no gateway, authorizer, runner or function runtime). The idempotency record through the same
    // Powertools layer and key; the event to a queue of the bench's own, so no consumer adds to this run.
    const clients = localClients(platform.resources.endpoints);
    const { QueueUrl: benchQueue } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `bench-orders-${ulid().toLowerCase()}` }),
    );
    const redisUrl = platform.resources.cache?.endpoint;
    const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true }) : undefined;
    await redis?.connect();
    const idempotent = makeIdempotent(async (_payload: unknown, run: () => Promise<boolean>) => run(), {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: tableNames.Idempotency!,
        awsSdkV3Client: localDynamoDb(platform.resources.endpoints.dynamodb),
      }),
      config: new IdempotencyConfig({
        eventKeyJmesPath: '[userId, route, key]',
        payloadValidationJmesPath: 'request',
      }),
      dataIndexArgument: 0,
    });
    const floor = async (c: number, productId: string) => {
      const userId = customers[c]!.userId;
      const payload = {
        userId,
        route: 'BENCH /v1/orders',
        key: randomUUID(),
        request: { path: '/v1/orders' },
      };
      return idempotent(payload, async () => {
        await Promise.all([
          documents
            .send(
              new GetCommand({ TableName: tableNames.Carts!, Key: cartKey(userId), ConsistentRead: true }),
            )
            .then(() => readProductsForSale(documents, tableNames.Catalog!, [productId])),
          readSavedLocation(documents, tableNames.CustomerLocations!, userId).then(() =>
            documents.send(
              new GetCommand({
                TableName: tableNames.Stores!,
                Key: storeKey(store.id),
                ProjectionExpression: STORE_OPENING_ATTRIBUTES.join(', '),
                ExpressionAttributeNames: { '#status': 'status' },
              }),
            ),
          ),
        ]);
        const orderId = ulid();
        if (!(await raw(c, productId, orderId))) return false;
        await Promise.all([
          clients.sqs
            .send(new SendMessageCommand({ QueueUrl: benchQueue, MessageBody: JSON.stringify({ orderId }) }))
            .then(() =>
              documents.send(
                new UpdateCommand({
                  TableName: tableNames.Orders!,
                  Key: { orderId },
                  UpdateExpression: 'REMOVE outbox',
                  ConditionExpression: 'attribute_exists(orderId)',
                }),
              ),
            ),
          incrementStoreLoad(documents, tableNames.StoreLoad!, store.id, new Date()),
          redis?.del(cartCacheEntry(userId).key, stockCacheEntry(store.id, productId).key),
        ]);
        return true;
      });
    };

    const runs: { name: string; route: Run; raw: Run; floor: Run }[] = [];
    for (const [name, productOf] of [
      ['distinct products', (c: number) => distinct[c]!],
      ['one hot product', () => hot],
    ] as const) {
      const prepare = (c: number) => carts.write(customers[c]!.userId, productOf(c));
      log(
        `Orders (${name}): warm-up, then POST /v1/orders at ${connections} connections, ${opts.seconds} s…`,
      );
      await timedLoop(connections, 3000, prepare, checkout);
      // 32 cold starts take longer than 3 s on a loaded machine: warm on until every environment exists
      // (at most 30 s more), so the timed run measures warm checkouts, not init phases.
      for (let extra = 0; extra < 15 && environments() < connections; extra++)
        await timedLoop(connections, 2000, prepare, checkout);
      const route = await timedLoop(connections, opts.seconds * 1000, prepare, checkout);
      log(`Orders (${name}): raw TransactWriteItems at ${connections} connections, ${opts.seconds} s…`);
      const rawRun = await timedLoop(connections, opts.seconds * 1000, prepare, (c) => raw(c, productOf(c)));
      log(
        `Orders (${name}): checkout's requests sent straight at ${connections} connections, ${opts.seconds} s…`,
      );
      const floorRun = await timedLoop(connections, opts.seconds * 1000, prepare, (c) =>
        floor(c, productOf(c)),
      );
      runs.push({ name, route, raw: rawRun, floor: floorRun });
    }
    redis?.disconnect();
    clients.destroy();
    // Leave no carts behind for the bench customers.
    await Promise.all(
      customers.map((c) =>
        documents.send(new DeleteCommand({ TableName: tableNames.Carts!, Key: cartKey(c.userId) })),
      ),
    );

    const f = (n: number) => n.toFixed(1);
    const share = (a: Run, b: Run) => `${(a.perSecond / Math.max(b.perSecond, 0.01)).toFixed(2)}×`;
    return [
      '## Checkout (POST /v1/orders)',
      '',
      `${connections} connections, ${opts.seconds} s per run after a 3 s warm-up, from this process (fetch); each iteration first writes the connection's one-line cart straight into Carts (not timed), then times one checkout through the local gateway (Cognito authorizer, the function pool of ${connections} checkout environments (one per connection, as Lambda would scale), idempotency record, cart/catalogue/location/store reads, the transaction, the event to SQS, the store-load counter). Raw: the same transaction shape (order put, conditional cart delete, conditional stock update) straight to the same DynamoDB Local at the same concurrency, with the same untimed cart write before each. Orders/s counts 201s only; "other" are non-201 answers (e.g. 409 contention) or cancelled transactions. Checkout's requests: what one checkout sends (idempotency record through Powertools, cart → product, location → store, the transaction, the event to SQS (a queue of the bench's own) → the outbox removal, the store-load counter, the cache invalidation in Redis, the idempotency result), in the same order and parallelism, straight from this process: the most the route could do on these engines without the gateway, the runner and the function runtime.`,
      '',
      "| products | route orders/s | p50 ms | p99 ms | other | raw tx/s | raw p50 ms | raw p99 ms | raw cancelled | route / raw | checkout's requests/s | p50 ms | their / raw | route / theirs |",
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...runs.map(
        (r) =>
          `| ${r.name} | ${r.route.perSecond.toFixed(0)} | ${f(r.route.p50)} | ${f(r.route.p99)} | ${r.route.failures} | ${r.raw.perSecond.toFixed(0)} | ${f(r.raw.p50)} | ${f(r.raw.p99)} | ${r.raw.failures} | ${share(r.route, r.raw)} | ${r.floor.perSecond.toFixed(0)} | ${f(r.floor.p50)} | ${share(r.floor, r.raw)} | ${share(r.route, r.floor)} |`,
      ),
      '',
    ].join('\n');
  } finally {
    documents.destroy();
  }
}
