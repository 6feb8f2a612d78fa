/**
 * Wires the payments service to AWS: one factory per kind of function, each reading only the variables
 * its function declared (lib/app/services/payments.ts). Only the functions that call the provider build
 * a provider, its secrets and the shared breaker.
 */
import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { DynamoPaymentsRepository } from './adapters/dynamodb-payments';
import { queueDepth, sqsPaymentQueues } from './adapters/queues';
import { providerSecrets } from './adapters/secrets';
import { DynamoSharedBreaker } from './adapters/shared-breaker';
import { parseSimulatorWebhook, SimulatorProvider } from './adapters/simulator-provider';
import { parseStripeWebhook, StripeProvider } from './adapters/stripe-provider';
import { PROVIDERS, type ProviderName } from './domain';
import type { PaymentDeps, PaymentProvider, WorkerDeps } from './ports';
import type { HealthDeps } from './use-cases/provider-health';
import type { WebhookDeps } from './use-cases/webhooks';

const name = z.string().check(z.minLength(1));
const optionalName = z.optional(name);
const whole = z.pipe(z.string().check(z.regex(/^\d{1,7}$/)), z.transform(Number));

function base(env: NodeJS.ProcessEnv): PaymentDeps & { repository: DynamoPaymentsRepository } {
  const vars = parseEnv(
    {
      PAYMENTS_TABLE_NAME: name,
      // Reading a payment needs no order (GetPayment is given Payments only).
      ORDERS_TABLE_NAME: optionalName,
      INVENTORY_TABLE_NAME: optionalName,
      PAYMENT_REQUESTS_QUEUE_URL: optionalName,
      REFUND_REQUESTS_QUEUE_URL: optionalName,
      NOTIFICATION_REQUESTS_QUEUE_URL: optionalName,
    },
    env,
  );
  const repository = new DynamoPaymentsRepository(documentClient, {
    payments: vars.PAYMENTS_TABLE_NAME,
    orders: vars.ORDERS_TABLE_NAME ?? '',
    // Only the functions that may cancel an order (a declined payment) are given Inventory.
    inventory: vars.INVENTORY_TABLE_NAME ?? '',
  });
  return {
    repository,
    payments: repository,
    queues: sqsPaymentQueues({
      paymentRequests: vars.PAYMENT_REQUESTS_QUEUE_URL,
      refundRequests: vars.REFUND_REQUESTS_QUEUE_URL,
      notificationRequests: vars.NOTIFICATION_REQUESTS_QUEUE_URL,
    }),
    logger,
    now: () => new Date(),
    newId: ulid,
  };
}

/** Create and read payments: Payments and Orders, the payment queue. */
export const paymentDeps = (env: NodeJS.ProcessEnv = process.env): PaymentDeps => base(env);

function secretsOf(env: NodeJS.ProcessEnv) {
  const vars = parseEnv(
    {
      PAYMENT_PROVIDER_API_KEY_SECRET_ARN: optionalName,
      PAYMENT_PROVIDER_API_KEY_SECRET_VALUE: optionalName,
      PAYMENT_WEBHOOK_SIGNING_SECRET_ARN: optionalName,
      PAYMENT_WEBHOOK_SIGNING_SECRET_VALUE: optionalName,
    },
    env,
  );
  return providerSecrets(
    { arn: vars.PAYMENT_PROVIDER_API_KEY_SECRET_ARN, value: vars.PAYMENT_PROVIDER_API_KEY_SECRET_VALUE },
    { arn: vars.PAYMENT_WEBHOOK_SIGNING_SECRET_ARN, value: vars.PAYMENT_WEBHOOK_SIGNING_SECRET_VALUE },
  );
}

function providerSettings(env: NodeJS.ProcessEnv) {
  return parseEnv(
    {
      PAYMENT_PROVIDER: z.enum(PROVIDERS),
      PAYMENT_PROVIDER_ENDPOINT: z.optional(z.url()),
      PAYMENT_PROVIDER_TIMEOUT_MS: whole,
      PAYMENT_RETRY_BASE_SECONDS: whole,
    },
    env,
  );
}

function providerOf(
  settings: ReturnType<typeof providerSettings>,
  secrets: ReturnType<typeof secretsOf>,
): PaymentProvider {
  if (settings.PAYMENT_PROVIDER === 'stripe')
    return new StripeProvider(
      secrets,
      settings.PAYMENT_PROVIDER_TIMEOUT_MS,
      settings.PAYMENT_PROVIDER_ENDPOINT,
    );
  if (!settings.PAYMENT_PROVIDER_ENDPOINT)
    throw new Error('Invalid environment: PAYMENT_PROVIDER_ENDPOINT is required for the simulator');
  return new SimulatorProvider(
    settings.PAYMENT_PROVIDER_ENDPOINT,
    secrets,
    settings.PAYMENT_PROVIDER_TIMEOUT_MS,
  );
}

/** The workers and the reconciliation: the provider through the shared breaker. */
export function workerDeps(env: NodeJS.ProcessEnv = process.env): WorkerDeps {
  const deps = base(env);
  const settings = providerSettings(env);
  const provider = providerOf(settings, secretsOf(env));
  return {
    ...deps,
    provider,
    breaker: new DynamoSharedBreaker(deps.repository, provider.name),
    retryBaseSeconds: settings.PAYMENT_RETRY_BASE_SECONDS,
  };
}

const WEBHOOK_PARSERS: Record<ProviderName, WebhookDeps['parse']> = {
  simulator: (_provider, body) => parseSimulatorWebhook(body),
  stripe: (_provider, body) => parseStripeWebhook(body),
};

/** Webhooks: the signing secret and the provider's event shapes (no provider calls). */
export function webhookDeps(
  env: NodeJS.ProcessEnv = process.env,
): WebhookDeps & { readonly provider: ProviderName } {
  const settings = parseEnv({ PAYMENT_PROVIDER: z.enum(PROVIDERS) }, env);
  return {
    ...base(env),
    secrets: secretsOf(env),
    provider: settings.PAYMENT_PROVIDER,
    parse: (provider, body) => WEBHOOK_PARSERS[provider](provider, body),
  };
}

/** Provider health: the breaker's stored state and the payment queue's depths. */
export function healthDeps(env: NodeJS.ProcessEnv = process.env): HealthDeps {
  const vars = parseEnv(
    {
      PAYMENTS_TABLE_NAME: name,
      PAYMENT_PROVIDER: z.enum(PROVIDERS),
      PAYMENT_REQUESTS_QUEUE_URL: name,
      PAYMENT_REQUESTS_DLQ_URL: name,
    },
    env,
  );
  const repository = new DynamoPaymentsRepository(documentClient, {
    payments: vars.PAYMENTS_TABLE_NAME,
    orders: '',
    inventory: '',
  });
  return {
    breaker: new DynamoSharedBreaker(repository, vars.PAYMENT_PROVIDER),
    depths: async () => {
      const [queue, dlq] = await Promise.all([
        queueDepth(vars.PAYMENT_REQUESTS_QUEUE_URL),
        queueDepth(vars.PAYMENT_REQUESTS_DLQ_URL),
      ]);
      return { queueDepth: queue, dlqDepth: dlq };
    },
  };
}
