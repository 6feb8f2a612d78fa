/** Consumes `PaymentRequests`: charges through the shared breaker, settles payment and order (partial batch failures). */
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { queueHandler } from '#shared/queue/consumer';
import { paymentMessageSchema } from '../contracts';
import { processPayment } from '../use-cases/process-payment';
import { workerDeps } from '../provider-wiring';
import { applyOutcome, receiveCount } from './worker-runtime';

const deps = workerDeps();
const { PAYMENT_REQUESTS_QUEUE_URL } = parseEnv({
  PAYMENT_REQUESTS_QUEUE_URL: z.string().check(z.minLength(1)),
});

export const handler = queueHandler(paymentMessageSchema(), async (message, record) => {
  const outcome = await processPayment(deps, message.paymentId, receiveCount(record));
  await applyOutcome(outcome, record, PAYMENT_REQUESTS_QUEUE_URL, (delay) =>
    deps.queues.requestPayment(message.paymentId, delay),
  );
});
