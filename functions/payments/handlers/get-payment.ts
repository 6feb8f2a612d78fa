import { httpHandler } from '#shared/http/handler';
import { getPaymentRoute } from '../contracts';
import { getPayment } from '../use-cases/get-payment';
import { paymentDeps } from '../wiring';

const deps = paymentDeps();

export const handler = httpHandler(getPaymentRoute, ({ caller, path }) =>
  getPayment(deps, caller, path.paymentId),
);
