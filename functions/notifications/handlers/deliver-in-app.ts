import { inAppAdapter } from '../adapters/in-app';
import { deliverDeps, inbox } from '../wiring';
import { channelWorker, WORKER_TIMEOUT_SECONDS } from './deliver';

export const handler = channelWorker(deliverDeps(inAppAdapter(inbox()), WORKER_TIMEOUT_SECONDS));
