/**
 * Wires the payments service to AWS: one factory per kind of function, each reading only the variables
 * its function declared (lib/app/services/payments.ts), and each in a module of its own so a function
 * bundles only what it uses: reading and creating payments here (the queues are passed in, so reading
 * bundles no SQS client), the provider's functions in provider-wiring.ts, provider health in
 * health-wiring.ts.
 */
import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { DynamoPartialRefunds } from './adapters/dynamodb-partial-refunds';
import { DynamoPaymentsRepository } from './adapters/dynamodb-payments';
import type { PaymentDeps, PaymentQueues } from './ports';

export const name = z.string().check(z.minLength(1));
export const optionalName = z.optional(name);

export function repository(env: NodeJS.ProcessEnv = process.env): DynamoPaymentsRepository {
  const vars = parseEnv(
    {
      PAYMENTS_TABLE_NAME: name,
      // Reading a payment needs no order (GetPayment is given Payments only).
      ORDERS_TABLE_NAME: optionalName,
      INVENTORY_TABLE_NAME: optionalName,
    },
    env,
  );
  return new DynamoPaymentsRepository(documentClient, {
    payments: vars.PAYMENTS_TABLE_NAME,
    orders: vars.ORDERS_TABLE_NAME ?? '',
    // Only the functions that may cancel an order (a declined payment) are given Inventory.
    inventory: vars.INVENTORY_TABLE_NAME ?? '',
  });
}

/** Reading payments: the Payments table only. */
export const readDeps = (env: NodeJS.ProcessEnv = process.env) => ({ payments: repository(env) });

/** Creating payments (and the base of the provider's functions): the repository and the given queues. */
export function paymentDeps(queues: PaymentQueues, env: NodeJS.ProcessEnv = process.env): PaymentDeps {
  const { PAYMENTS_TABLE_NAME, EXCHANGES_TABLE_NAME } = parseEnv(
    { PAYMENTS_TABLE_NAME: name, EXCHANGES_TABLE_NAME: optionalName },
    env,
  );
  return {
    payments: repository(env),
    // Only the functions that settle refunds are given Exchanges (an exchange's part refund).
    ...(EXCHANGES_TABLE_NAME
      ? {
          partialRefunds: new DynamoPartialRefunds(documentClient, {
            payments: PAYMENTS_TABLE_NAME,
            exchanges: EXCHANGES_TABLE_NAME,
          }),
        }
      : {}),
    queues,
    logger,
    now: () => new Date(),
    newId: ulid,
  };
}
