import { NotFoundError } from '#shared/errors';
import { httpHandler } from '#shared/http/handler';
import { webhookRoute } from '../contracts';
import { receiveWebhook } from '../use-cases/webhooks';
import { webhookDeps } from '../provider-wiring';

const deps = webhookDeps();
const SIGNATURE_HEADER = { simulator: 'x-zepto-signature', stripe: 'stripe-signature' } as const;

export const handler = httpHandler(webhookRoute, async ({ path, headers, rawBody }) => {
  // Only the stage's own provider sends webhooks here.
  if (path.provider !== deps.provider)
    throw new NotFoundError(`This stage takes no ${path.provider} webhooks.`);
  return receiveWebhook(deps, path.provider, rawBody ?? '', headers[SIGNATURE_HEADER[path.provider]]);
});
