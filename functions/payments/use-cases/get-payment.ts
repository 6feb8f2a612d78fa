import type { Caller } from '#shared/http/identity';
import { mayRead, paymentErrors, paymentView } from '../domain';
import type { PaymentDeps } from '../ports';

/** Its customer and admins; anyone else gets a 404 (no telling whose payment an id is). */
export async function getPayment(deps: Pick<PaymentDeps, 'payments'>, caller: Caller, paymentId: string) {
  const payment = await deps.payments.get(paymentId);
  if (!payment || !mayRead(caller, payment)) throw paymentErrors.notFound(paymentId);
  return paymentView(payment);
}
