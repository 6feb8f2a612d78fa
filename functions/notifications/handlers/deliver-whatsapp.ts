import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { outboxAdapter } from '../adapters/outbox';
import { whatsAppAdapter } from '../adapters/whatsapp';
import { deliverDeps, deliveryMode, documentClient, failChannels, name, outboxTable } from '../wiring';
import { channelWorker, WORKER_TIMEOUT_SECONDS } from './deliver';

const providerConfig = () => {
  const env = parseEnv({ WHATSAPP_PHONE_NUMBER_ID: z.string(), WHATSAPP_META_API_VERSION: name });
  return { phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID, metaApiVersion: env.WHATSAPP_META_API_VERSION };
};

const adapter =
  deliveryMode() === 'providers'
    ? whatsAppAdapter(providerConfig())
    : outboxAdapter(documentClient, outboxTable(), 'whatsapp', {
        failChannels: failChannels(),
        now: () => new Date(),
      });

export const handler = channelWorker(deliverDeps(adapter, WORKER_TIMEOUT_SECONDS));
