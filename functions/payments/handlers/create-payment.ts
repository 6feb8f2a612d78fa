import { HttpResponse } from '#shared/http/handler';
import { idempotentHttpHandler } from '#shared/http/idempotency';
import { createPaymentRoute } from '../contracts';
import { createPayment } from '../use-cases/create-payment';
import { paymentDeps } from '../wiring';

const deps = paymentDeps();

export const handler = idempotentHttpHandler(createPaymentRoute, async ({ caller, path, body }) => {
  const accepted = await createPayment(deps, caller, path.orderId, body);
  return new HttpResponse(202, accepted, { location: `/v1/payments/${accepted.paymentId}` });
});
