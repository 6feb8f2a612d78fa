import { httpHandler } from '#shared/http/handler';
import { getPaymentRoute } from '../contracts';
import { getPayment } from '../use-cases/get-payment';
import { readDeps } from '../wiring';

const deps = readDeps();

export const handler = httpHandler(getPaymentRoute, ({ caller, path }) =>
  getPayment(deps, caller, path.paymentId),
);
