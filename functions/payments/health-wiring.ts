/** Provider health: the breaker's stored state and the payment queue's depths (no provider, no secrets). */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { queueDepth } from './adapters/queue-control';
import { DynamoSharedBreaker } from './adapters/shared-breaker';
import { PROVIDERS } from './domain';
import type { HealthDeps } from './use-cases/provider-health';
import { name, repository } from './wiring';

export function healthDeps(env: NodeJS.ProcessEnv = process.env): HealthDeps {
  const vars = parseEnv(
    { PAYMENT_PROVIDER: z.enum(PROVIDERS), PAYMENT_REQUESTS_QUEUE_URL: name, PAYMENT_REQUESTS_DLQ_URL: name },
    env,
  );
  return {
    breaker: new DynamoSharedBreaker(repository(env), vars.PAYMENT_PROVIDER),
    depths: async () => {
      const [queue, dlq] = await Promise.all([
        queueDepth(vars.PAYMENT_REQUESTS_QUEUE_URL),
        queueDepth(vars.PAYMENT_REQUESTS_DLQ_URL),
      ]);
      return { queueDepth: queue, dlqDepth: dlq };
    },
  };
}
