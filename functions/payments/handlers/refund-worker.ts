/** Consumes `RefundRequests`: refunds through the shared breaker, REFUND_PENDING → REFUNDED (partial batch failures). */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { refundRequestSchema } from '#shared/published/refund-request';
import { queueHandler } from '#shared/queue/consumer';
import { sendMessages } from '#shared/queue/send';
import { processRefund } from '../use-cases/process-refund';
import { workerDeps } from '../provider-wiring';
import { applyOutcome, receiveCount } from './worker-runtime';

const deps = workerDeps();
const { REFUND_REQUESTS_QUEUE_URL } = parseEnv({
  REFUND_REQUESTS_QUEUE_URL: z.string().check(z.minLength(1)),
});

export const handler = queueHandler(refundRequestSchema(), async (request, record) => {
  const outcome = await processRefund(deps, request, receiveCount(record));
  await applyOutcome(outcome, record, REFUND_REQUESTS_QUEUE_URL, (delay) =>
    sendMessages(REFUND_REQUESTS_QUEUE_URL, [{ body: request, delaySeconds: delay }]),
  );
});
