/**
 * The provider simulator's API (local/provider-simulator.ts; a dev stage may point at one too). JSON over
 * HTTP, the API key as a bearer token, the payment id as the charge's `Idempotency-Key`. Its webhooks
 * (`X-Zepto-Signature`) are read by `parseSimulatorWebhook`.
 */
import * as z from 'zod/mini';
import { ProviderUnavailableError, type ChargeOutcome } from '../domain';
import type { ChargeRequest, PaymentProvider, ProviderSecrets, WebhookEvent } from '../ports';
import { providerCall } from './http';

const chargeSchema = z.object({
  id: z.string(),
  paymentId: z.string(),
  status: z.enum(['succeeded', 'failed']),
  declineCode: z.optional(z.string()),
});
const refundSchema = z.object({ id: z.string(), paymentId: z.string(), status: z.literal('succeeded') });

const outcomeOf = (charge: z.infer<typeof chargeSchema>): ChargeOutcome =>
  charge.status === 'succeeded'
    ? { outcome: 'succeeded', reference: charge.id }
    : { outcome: 'declined', reason: charge.declineCode ?? 'DECLINED', reference: charge.id };

function parsed<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ProviderUnavailableError(`${what}: unexpected answer`);
  return result.data;
}

export class SimulatorProvider implements PaymentProvider {
  readonly name = 'simulator' as const;

  constructor(
    private readonly endpoint: string,
    private readonly secrets: ProviderSecrets,
    private readonly timeoutMs: number,
  ) {}

  private async headers(idempotencyKey?: string): Promise<Record<string, string>> {
    return {
      authorization: `Bearer ${await this.secrets.apiKey()}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/charges`,
      {
        method: 'POST',
        headers: await this.headers(request.paymentId),
        body: JSON.stringify({
          paymentId: request.paymentId,
          amountPaise: request.amountPaise,
          currency: request.currency,
          method: request.method,
          token: request.token,
        }),
      },
      this.timeoutMs,
      'the charge',
    );
    if (status !== 200) throw new ProviderUnavailableError(`the charge: HTTP ${status}`);
    return outcomeOf(parsed(chargeSchema, body, 'the charge'));
  }

  async chargeStatus(paymentId: string): Promise<ChargeOutcome | undefined> {
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/charges/${encodeURIComponent(paymentId)}`,
      { method: 'GET', headers: await this.headers() },
      this.timeoutMs,
      'the charge status',
    );
    if (status === 404) return undefined;
    if (status !== 200) throw new ProviderUnavailableError(`the charge status: HTTP ${status}`);
    return outcomeOf(parsed(chargeSchema, body, 'the charge status'));
  }

  async refund(request: {
    paymentId: string;
    refundKey: string;
    amountPaise: number;
  }): Promise<{ reference: string }> {
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/refunds`,
      {
        method: 'POST',
        headers: await this.headers(request.refundKey),
        body: JSON.stringify({ paymentId: request.paymentId, amountPaise: request.amountPaise }),
      },
      this.timeoutMs,
      'the refund',
    );
    if (status !== 200) throw new ProviderUnavailableError(`the refund: HTTP ${status}`);
    return { reference: parsed(refundSchema, body, 'the refund').id };
  }

  async refundStatus(_paymentId: string, refundKey: string): Promise<{ reference: string } | undefined> {
    const { status, body } = await providerCall(
      `${this.endpoint}/v1/refunds/${encodeURIComponent(refundKey)}`,
      { method: 'GET', headers: await this.headers() },
      this.timeoutMs,
      'the refund status',
    );
    if (status === 404) return undefined;
    if (status !== 200) throw new ProviderUnavailableError(`the refund status: HTTP ${status}`);
    return { reference: parsed(refundSchema, body, 'the refund status').id };
  }
}

const simulatorEventSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  type: z.string().check(z.maxLength(64)),
  data: z.object({
    paymentId: z.string().check(z.maxLength(64)),
    id: z.string().check(z.maxLength(64)),
    status: z.optional(z.string()),
    refundKey: z.optional(z.string().check(z.maxLength(128))),
    declineCode: z.optional(z.string().check(z.maxLength(64))),
  }),
});

export function parseSimulatorWebhook(body: unknown): WebhookEvent | undefined {
  const result = simulatorEventSchema.safeParse(body);
  if (!result.success) return undefined;
  const { id, type, data } = result.data;
  if (type === 'charge.succeeded')
    return {
      kind: 'charge',
      eventId: id,
      paymentId: data.paymentId,
      outcome: { outcome: 'succeeded', reference: data.id },
    };
  if (type === 'charge.failed')
    return {
      kind: 'charge',
      eventId: id,
      paymentId: data.paymentId,
      outcome: { outcome: 'declined', reason: data.declineCode ?? 'DECLINED', reference: data.id },
    };
  if (type === 'refund.succeeded')
    return {
      kind: 'refund',
      eventId: id,
      paymentId: data.paymentId,
      reference: data.id,
      ...(data.refundKey !== undefined ? { refundKey: data.refundKey } : {}),
    };
  return { kind: 'ignored', eventId: id };
}
