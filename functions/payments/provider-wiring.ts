/**
 * The functions that talk to the provider or check its signatures (the workers, the reconciliation, the
 * webhook): the provider, its secrets and the shared breaker (see wiring.ts for the others).
 */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { sqsPaymentQueues } from './adapters/queues';
import { providerSecrets } from './adapters/secrets';
import { DynamoSharedBreaker } from './adapters/shared-breaker';
import { parseSimulatorWebhook, SimulatorProvider } from './adapters/simulator-provider';
import { parseStripeWebhook, StripeProvider } from './adapters/stripe-provider';
import { PROVIDERS, type ProviderName } from './domain';
import type { PaymentDeps, PaymentProvider, WorkerDeps } from './ports';
import type { WebhookDeps } from './use-cases/webhooks';
import { optionalName, paymentDeps, repository } from './wiring';

const whole = z.pipe(z.string().check(z.regex(/^\d{1,7}$/)), z.transform(Number));

function queuesOf(env: NodeJS.ProcessEnv) {
  const vars = parseEnv(
    {
      PAYMENT_REQUESTS_QUEUE_URL: optionalName,
      REFUND_REQUESTS_QUEUE_URL: optionalName,
      NOTIFICATION_REQUESTS_QUEUE_URL: optionalName,
    },
    env,
  );
  return sqsPaymentQueues({
    paymentRequests: vars.PAYMENT_REQUESTS_QUEUE_URL,
    refundRequests: vars.REFUND_REQUESTS_QUEUE_URL,
    notificationRequests: vars.NOTIFICATION_REQUESTS_QUEUE_URL,
  });
}

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
  const deps: PaymentDeps = paymentDeps(queuesOf(env), env);
  const settings = providerSettings(env);
  const provider = providerOf(settings, secretsOf(env));
  return {
    ...deps,
    provider,
    breaker: new DynamoSharedBreaker(repository(env), provider.name),
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
    ...paymentDeps(queuesOf(env), env),
    secrets: secretsOf(env),
    provider: settings.PAYMENT_PROVIDER,
    parse: (provider, body) => WEBHOOK_PARSERS[provider](provider, body),
  };
}
