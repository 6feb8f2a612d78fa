import { HttpResponse } from '#shared/http/handler';
import { idempotentHttpHandler } from '#shared/http/idempotency';
import { createPaymentRoute } from '../contracts';
import { createPayment } from '../use-cases/create-payment';
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { sqsPaymentQueues } from '../adapters/queues';
import { paymentDeps } from '../wiring';

const { PAYMENT_REQUESTS_QUEUE_URL } = parseEnv({
  PAYMENT_REQUESTS_QUEUE_URL: z.string().check(z.minLength(1)),
});
const deps = paymentDeps(sqsPaymentQueues({ paymentRequests: PAYMENT_REQUESTS_QUEUE_URL }));

export const handler = idempotentHttpHandler(createPaymentRoute, async ({ caller, path, body }) => {
  const accepted = await createPayment(deps, caller, path.orderId, body);
  return new HttpResponse(202, accepted, { location: `/v1/payments/${accepted.paymentId}` });
});
