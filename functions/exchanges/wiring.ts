/** Wires the exchanges service to AWS (one factory; every exchange function declares the same tables). */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { readOrderForExchange } from '#shared/published/delivered-order';
import { readProductCategorySlugs } from '#shared/published/product-categories';
import { readStoreAccess } from '#shared/published/store-access-reader';
import { DynamoExchangeRepository } from './adapters/dynamodb-exchanges';
import { queuePublisher } from './adapters/publisher';
import { EXCHANGE_REASONS, type ExchangeRules } from './domain';
import type { ExchangeDeps, ExchangeReadDeps, RelayDeps } from './ports';

const name = z.string().check(z.minLength(1));
const hours = z.number().check(z.int(), z.gte(1), z.lte(24 * 90));
const rulesSchema = z.strictObject({
  windowHours: hours,
  categoryWindowHours: z.record(z.string(), hours),
  notExchangeable: z.array(z.string()),
  autoApprove: z.strictObject({
    maxValuePaise: z.number().check(z.int(), z.gte(0)),
    maxRecentExchanges: z.number().check(z.int(), z.gte(0)),
    periodDays: z.number().check(z.int(), z.gte(1)),
    reviewedReasons: z.array(z.enum(EXCHANGE_REASONS)),
  }),
});

export function parseRules(json: string): ExchangeRules {
  return rulesSchema.parse(JSON.parse(json));
}

/** The reads (an exchange, the review queue): Exchanges and who works at the store. */
export function exchangeReadDeps(env: NodeJS.ProcessEnv = process.env): ExchangeReadDeps {
  const vars = parseEnv({ EXCHANGES_TABLE_NAME: name, STORES_TABLE_NAME: name }, env);
  return {
    exchanges: new DynamoExchangeRepository(documentClient, { exchanges: vars.EXCHANGES_TABLE_NAME }),
    stores: { access: (storeId) => readStoreAccess(documentClient, vars.STORES_TABLE_NAME, storeId) },
  };
}

/** Requests, decisions and the replacement's moves. */
export function exchangeDeps(env: NodeJS.ProcessEnv = process.env): ExchangeDeps {
  const vars = parseEnv(
    {
      EXCHANGES_TABLE_NAME: name,
      ORDERS_TABLE_NAME: name,
      STORES_TABLE_NAME: name,
      CATALOG_TABLE_NAME: name,
      INVENTORY_TABLE_NAME: z.optional(name),
      NOTIFICATION_REQUESTS_QUEUE_URL: name,
      REFUND_REQUESTS_QUEUE_URL: z.optional(name),
      EXCHANGE_RULES: name,
    },
    env,
  );
  return {
    exchanges: new DynamoExchangeRepository(documentClient, {
      exchanges: vars.EXCHANGES_TABLE_NAME,
      inventory: vars.INVENTORY_TABLE_NAME,
    }),
    orders: { get: (orderId) => readOrderForExchange(documentClient, vars.ORDERS_TABLE_NAME, orderId) },
    stores: { access: (storeId) => readStoreAccess(documentClient, vars.STORES_TABLE_NAME, storeId) },
    categories: {
      slugsOf: (ids) => readProductCategorySlugs(documentClient, vars.CATALOG_TABLE_NAME, ids),
    },
    publisher: queuePublisher({
      notificationRequests: vars.NOTIFICATION_REQUESTS_QUEUE_URL,
      refundRequests: vars.REFUND_REQUESTS_QUEUE_URL,
    }),
    rules: parseRules(vars.EXCHANGE_RULES),
    logger,
    now: () => new Date(),
    newId: () => ulid(),
  };
}

/** The outbox relay: Exchanges and the queues its messages go to. */
export function relayDeps(env: NodeJS.ProcessEnv = process.env): RelayDeps {
  const vars = parseEnv(
    {
      EXCHANGES_TABLE_NAME: name,
      NOTIFICATION_REQUESTS_QUEUE_URL: name,
      REFUND_REQUESTS_QUEUE_URL: name,
    },
    env,
  );
  return {
    exchanges: new DynamoExchangeRepository(documentClient, { exchanges: vars.EXCHANGES_TABLE_NAME }),
    publisher: queuePublisher({
      notificationRequests: vars.NOTIFICATION_REQUESTS_QUEUE_URL,
      refundRequests: vars.REFUND_REQUESTS_QUEUE_URL,
    }),
    logger,
    now: () => new Date(),
  };
}
