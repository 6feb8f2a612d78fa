import { outboxAdapter } from '../adapters/outbox';
import { snsPushAdapter } from '../adapters/sns-push';
import { deliverDeps, deliveryMode, documentClient, failChannels, outboxTable } from '../wiring';
import { channelWorker, WORKER_TIMEOUT_SECONDS } from './deliver';

const adapter =
  deliveryMode() === 'providers'
    ? snsPushAdapter()
    : outboxAdapter(documentClient, outboxTable(), 'push', {
        failChannels: failChannels(),
        now: () => new Date(),
      });

export const handler = channelWorker(deliverDeps(adapter, WORKER_TIMEOUT_SECONDS));
