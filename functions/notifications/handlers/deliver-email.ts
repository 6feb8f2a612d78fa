import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { outboxAdapter } from '../adapters/outbox';
import { sesEmailAdapter } from '../adapters/ses-email';
import { deliverDeps, deliveryMode, documentClient, failChannels, name, outboxTable } from '../wiring';
import { channelWorker, WORKER_TIMEOUT_SECONDS } from './deliver';

const providerConfig = () => {
  const env = parseEnv({
    EMAIL_FROM_ADDRESS: name,
    EMAIL_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  });
  return { from: env.EMAIL_FROM_ADDRESS, configurationSet: env.EMAIL_CONFIGURATION_SET };
};

const adapter =
  deliveryMode() === 'providers'
    ? sesEmailAdapter(providerConfig())
    : outboxAdapter(documentClient, outboxTable(), 'email', {
        failChannels: failChannels(),
        now: () => new Date(),
      });

export const handler = channelWorker(deliverDeps(adapter, WORKER_TIMEOUT_SECONDS));
