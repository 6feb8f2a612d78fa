/**
 * Provider webhooks: the signature is checked over the raw body before anything else (a forged, stale or
 * malformed one is a 401 and changes nothing), a replayed event id is acknowledged and ignored, and a
 * charge or refund outcome settles the payment exactly as the worker would (idempotently: an outcome the
 * worker already applied changes nothing).
 */
import { UnauthorizedError } from '#shared/errors';
import { exchangeOfRefundKey, OPEN_STATUSES, type ProviderName } from '../domain';
import type { PaymentDeps, ProviderSecrets, WebhookEvent } from '../ports';
import { verifySignature } from '../signature';
import { partialRefundNotification, paymentNotification, settlePayment } from './settlement';

export interface WebhookDeps extends PaymentDeps {
  readonly secrets: ProviderSecrets;
  /** The provider adapter's reading of a verified body (undefined: not an event it knows the shape of). */
  readonly parse: (provider: ProviderName, body: unknown) => WebhookEvent | undefined;
}

export type WebhookResult = {
  readonly received: true;
  readonly duplicate: boolean;
  readonly applied: boolean;
};

export async function receiveWebhook(
  deps: WebhookDeps,
  provider: ProviderName,
  rawBody: string,
  signature: string | undefined,
): Promise<WebhookResult> {
  const now = deps.now();
  const check = verifySignature(
    signature,
    rawBody,
    await deps.secrets.webhookSecret(),
    Math.floor(now.getTime() / 1000),
  );
  if (check !== 'valid') {
    deps.logger.warn('Webhook refused', { provider, check });
    throw new UnauthorizedError('The webhook signature is missing, stale or does not match.');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const event = deps.parse(provider, body);
  if (!event) {
    deps.logger.warn('Webhook with an unknown shape', { provider });
    return { received: true, duplicate: false, applied: false };
  }
  if (!(await deps.payments.rememberEvent(provider, event.eventId, now.getTime())))
    return { received: true, duplicate: true, applied: false };
  if (event.kind === 'ignored') return { received: true, duplicate: false, applied: false };
  const payment = await deps.payments.get(event.paymentId);
  if (!payment) return { received: true, duplicate: false, applied: false };
  if (event.kind === 'charge') {
    if (!OPEN_STATUSES.includes(payment.status) || payment.status === 'REFUND_PENDING')
      return { received: true, duplicate: false, applied: false };
    const result = await settlePayment(deps, payment, event.outcome);
    return { received: true, duplicate: false, applied: result !== 'already-settled' };
  }
  const at = now.toISOString();
  const exchangeId = exchangeOfRefundKey(payment.paymentId, event.refundKey);
  if (exchangeId !== undefined) {
    const refunds = deps.partialRefunds;
    const refund = await refunds?.get(payment.paymentId, exchangeId);
    if (!refunds || refund?.status !== 'PENDING') return { received: true, duplicate: false, applied: false };
    const applied = await refunds.markRefunded(refund, event.reference, at);
    if (applied) await deps.queues.notify([partialRefundNotification(refund, at)]);
    return { received: true, duplicate: false, applied };
  }
  const applied = await deps.payments.markRefunded(payment.paymentId, event.reference, at);
  if (applied) await deps.queues.notify([paymentNotification(payment, 'payment.refunded', at)]);
  return { received: true, duplicate: false, applied };
}
