/**
 * Stripe behind the provider port (https://docs.stripe.com/api): PaymentIntents confirmed server-side,
 * form-encoded, authenticated with the secret key as a bearer token, pinned to one API version, and every
 * write carrying an `Idempotency-Key` (the payment id for the charge, `refund:<paymentId>` for the refund),
 * so Stripe answers a retried request with the first answer instead of charging again. The payment id
 * also goes into the intent's metadata, which is how a charge is found again after a timeout (Search API).
 * Webhooks (`Stripe-Signature`, the same `t=…,v1=…` HMAC-SHA256 scheme) are read by `parseStripeWebhook`.
 */
import * as z from 'zod/mini';
import { ProviderUnavailableError, type ChargeOutcome } from '../domain';
import type { ChargeRequest, PaymentProvider, ProviderSecrets, WebhookEvent } from '../ports';
import { providerCall } from './http';

export const STRIPE_API_VERSION = '2024-06-20';
export const STRIPE_ENDPOINT = 'https://api.stripe.com';

const intentSchema = z.object({
  id: z.string(),
  object: z.literal('payment_intent'),
  status: z.string(),
  last_payment_error: z.optional(
    z.nullable(z.object({ code: z.optional(z.string()), decline_code: z.optional(z.string()) })),
  ),
});
const errorSchema = z.object({
  error: z.object({
    type: z.string(),
    code: z.optional(z.string()),
    decline_code: z.optional(z.string()),
    payment_intent: z.optional(z.object({ id: z.string() })),
  }),
});
const searchSchema = z.object({ object: z.literal('search_result'), data: z.array(intentSchema) });
const refundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  status: z.string(),
  metadata: z.optional(z.record(z.string(), z.string())),
});
const refundListSchema = z.object({ object: z.literal('list'), data: z.array(refundSchema) });

/** Stripe's form encoding (`a[b]=c`), in a stable order. */
export function formEncode(fields: Record<string, string | number | Record<string, string>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'object')
      for (const [sub, v] of Object.entries(value))
        pairs.push(`${encodeURIComponent(`${key}[${sub}]`)}=${encodeURIComponent(v)}`);
    else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return pairs.join('&');
}

function intentOutcome(intent: z.infer<typeof intentSchema>): ChargeOutcome | undefined {
  if (intent.status === 'succeeded') return { outcome: 'succeeded', reference: intent.id };
  if (intent.status === 'requires_payment_method' || intent.status === 'canceled')
    return {
      outcome: 'declined',
      reason: (
        intent.last_payment_error?.decline_code ??
        intent.last_payment_error?.code ??
        'declined'
      ).toUpperCase(),
      reference: intent.id,
    };
  // processing, requires_action, requires_confirmation: not settled yet.
  return undefined;
}

function parsed<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ProviderUnavailableError(`${what}: unexpected answer`);
  return result.data;
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;

  constructor(
    private readonly secrets: ProviderSecrets,
    private readonly timeoutMs: number,
    private readonly endpoint: string = STRIPE_ENDPOINT,
  ) {}

  private async headers(idempotencyKey?: string): Promise<Record<string, string>> {
    return {
      authorization: `Bearer ${await this.secrets.apiKey()}`,
      'stripe-version': STRIPE_API_VERSION,
      'content-type': 'application/x-www-form-urlencoded',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/payment_intents`,
      {
        method: 'POST',
        headers: await this.headers(request.paymentId),
        body: formEncode({
          amount: request.amountPaise,
          currency: request.currency.toLowerCase(),
          confirm: 'true',
          payment_method: request.token,
          'payment_method_types[]': request.method === 'upi' ? 'upi' : 'card',
          metadata: { paymentId: request.paymentId },
        }),
      },
      this.timeoutMs,
      'the charge',
    );
    if (status === 200) {
      const outcome = intentOutcome(parsed(intentSchema, body, 'the charge'));
      if (!outcome) throw new ProviderUnavailableError('the charge is still processing');
      return outcome;
    }
    if (status === 402) {
      const { error } = parsed(errorSchema, body, 'the charge');
      return {
        outcome: 'declined',
        reason: (error.decline_code ?? error.code ?? 'card_declined').toUpperCase(),
        ...(error.payment_intent ? { reference: error.payment_intent.id } : {}),
      };
    }
    // 400/401/403/404/409: our request or our key is wrong; not a decline, not the customer's fault.
    throw new ProviderUnavailableError(`the charge: HTTP ${status}`);
  }

  private async findIntent(paymentId: string): Promise<z.infer<typeof intentSchema> | undefined> {
    const query = encodeURIComponent(`metadata['paymentId']:'${paymentId.replace(/[^0-9A-Z]/g, '')}'`);
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/payment_intents/search?query=${query}`,
      { method: 'GET', headers: await this.headers() },
      this.timeoutMs,
      'the charge status',
    );
    if (status !== 200) throw new ProviderUnavailableError(`the charge status: HTTP ${status}`);
    return parsed(searchSchema, body, 'the charge status').data[0];
  }

  async chargeStatus(paymentId: string): Promise<ChargeOutcome | undefined> {
    const intent = await this.findIntent(paymentId);
    return intent && intentOutcome(intent);
  }

  async refund(request: {
    paymentId: string;
    refundKey: string;
    amountPaise: number;
    chargeReference?: string;
  }): Promise<{ reference: string }> {
    const intentId = request.chargeReference ?? (await this.findIntent(request.paymentId))?.id;
    if (!intentId) throw new ProviderUnavailableError('the refund: no charge to refund');
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/refunds`,
      {
        method: 'POST',
        headers: await this.headers(request.refundKey),
        body: formEncode({
          payment_intent: intentId,
          amount: request.amountPaise,
          metadata: { paymentId: request.paymentId, refundKey: request.refundKey },
        }),
      },
      this.timeoutMs,
      'the refund',
    );
    if (status !== 200) throw new ProviderUnavailableError(`the refund: HTTP ${status}`);
    const refund = parsed(refundSchema, body, 'the refund');
    if (refund.status !== 'succeeded') throw new ProviderUnavailableError(`the refund is ${refund.status}`);
    return { reference: refund.id };
  }

  async refundStatus(paymentId: string, refundKey: string): Promise<{ reference: string } | undefined> {
    const intent = await this.findIntent(paymentId);
    if (!intent) return undefined;
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/refunds?payment_intent=${encodeURIComponent(intent.id)}`,
      { method: 'GET', headers: await this.headers() },
      this.timeoutMs,
      'the refund status',
    );
    if (status !== 200) throw new ProviderUnavailableError(`the refund status: HTTP ${status}`);
    // Refunds made before keys were recorded in the metadata are the whole payment's.
    const keyOf = (r: { metadata?: Record<string, string> }) =>
      r.metadata?.refundKey ?? `refund:${paymentId}`;
    const done = parsed(refundListSchema, body, 'the refund status').data.find(
      (r) => r.status === 'succeeded' && keyOf(r) === refundKey,
    );
    return done && { reference: done.id };
  }
}

const stripeEventSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  type: z.string().check(z.maxLength(64)),
  data: z.object({
    object: z.object({
      id: z.string(),
      metadata: z.optional(z.record(z.string(), z.string())),
      payment_intent: z.optional(z.nullable(z.string())),
      last_payment_error: z.optional(
        z.nullable(z.object({ decline_code: z.optional(z.string()), code: z.optional(z.string()) })),
      ),
    }),
  }),
});

/** Stripe events this service acts on; anything else is acknowledged and ignored. */
export function parseStripeWebhook(body: unknown): WebhookEvent | undefined {
  const result = stripeEventSchema.safeParse(body);
  if (!result.success) return undefined;
  const { id, type, data } = result.data;
  const paymentId = data.object.metadata?.paymentId;
  if (!paymentId) return { kind: 'ignored', eventId: id };
  if (type === 'payment_intent.succeeded')
    return {
      kind: 'charge',
      eventId: id,
      paymentId,
      outcome: { outcome: 'succeeded', reference: data.object.id },
    };
  if (type === 'payment_intent.payment_failed')
    return {
      kind: 'charge',
      eventId: id,
      paymentId,
      outcome: {
        outcome: 'declined',
        reason: (
          data.object.last_payment_error?.decline_code ??
          data.object.last_payment_error?.code ??
          'declined'
        ).toUpperCase(),
        reference: data.object.id,
      },
    };
  if (type === 'refund.created' || type === 'refund.updated') {
    const refundKey = data.object.metadata?.refundKey;
    return {
      kind: 'refund',
      eventId: id,
      paymentId,
      reference: data.object.id,
      ...(refundKey !== undefined ? { refundKey } : {}),
    };
  }
  return { kind: 'ignored', eventId: id };
}
