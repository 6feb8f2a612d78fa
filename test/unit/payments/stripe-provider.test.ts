/**
 * The Stripe adapter against a fixture HTTP server on 127.0.0.1 (no network): what it sends (bearer key,
 * pinned API version, form encoding, the payment id as Idempotency-Key and in the metadata) and how it maps
 * Stripe's answers (fixtures in Stripe's documented shapes) onto the provider port.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  formEncode,
  parseStripeWebhook,
  STRIPE_API_VERSION,
  StripeProvider,
} from '../../../functions/payments/adapters/stripe-provider';
import { ProviderTimeoutError, ProviderUnavailableError } from '../../../functions/payments/domain';
import { signPayload, verifySignature } from '../../../functions/payments/signature';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'stripe', `${name}.json`), 'utf8');
const PAYMENT_ID = '01JWMCKG008FW2KRKYRBXZ9WB9';
const secrets = { apiKey: async () => 'sk_test_fixture', webhookSecret: async () => 'whsec_fixture' };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let endpoint: string;
let seen: Seen[];
let answers: { status: number; body: string; delayMs?: number }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = answers.shift() ?? { status: 500, body: '{}' };
      setTimeout(() => {
        if (!res.destroyed)
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen = [];
  answers = [];
});

const stripe = (timeoutMs = 1_000) => new StripeProvider(secrets, timeoutMs, endpoint);
const charge = {
  paymentId: PAYMENT_ID,
  amountPaise: 25_000,
  currency: 'INR' as const,
  method: 'card' as const,
  token: 'pm_card_visa',
};

describe('charging', () => {
  it('confirms a PaymentIntent with the secret key, the pinned version and the payment id as Idempotency-Key', async () => {
    answers.push({ status: 200, body: fixture('payment-intent-succeeded') });

    const outcome = await stripe().charge(charge);

    expect(outcome).toEqual({ outcome: 'succeeded', reference: 'pi_3PqZt2SFixture0001' });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/payment_intents' });
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer sk_test_fixture',
      'stripe-version': STRIPE_API_VERSION,
      'idempotency-key': PAYMENT_ID,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      amount: '25000',
      currency: 'inr',
      confirm: 'true',
      payment_method: 'pm_card_visa',
      'payment_method_types[]': 'card',
      'metadata[paymentId]': PAYMENT_ID,
    });
  });

  it('maps a 402 card error to a decline with its decline code', async () => {
    answers.push({ status: 402, body: fixture('card-declined') });

    expect(await stripe().charge(charge)).toEqual({
      outcome: 'declined',
      reason: 'INSUFFICIENT_FUNDS',
      reference: 'pi_3PqZt2SFixture0002',
    });
  });

  it('treats 429 and 5xx as the provider being unavailable, and a slow answer as a timeout', async () => {
    answers.push({ status: 429, body: fixture('rate-limited') }, { status: 503, body: '{}' });
    await expect(stripe().charge(charge)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(stripe().charge(charge)).rejects.toBeInstanceOf(ProviderUnavailableError);

    answers.push({ status: 200, body: fixture('payment-intent-succeeded'), delayMs: 500 });
    await expect(stripe(100).charge(charge)).rejects.toBeInstanceOf(ProviderTimeoutError);
  });
});

describe('asking after a timeout, and refunds', () => {
  it('finds the charge by the payment id in its metadata (Search API)', async () => {
    answers.push({ status: 200, body: fixture('search-one') }, { status: 200, body: fixture('search-none') });

    expect(await stripe().chargeStatus(PAYMENT_ID)).toEqual({
      outcome: 'succeeded',
      reference: 'pi_3PqZt2SFixture0001',
    });
    expect(await stripe().chargeStatus(PAYMENT_ID)).toBeUndefined();
    const url = new URL(seen[0]!.url, endpoint);
    expect(url.pathname).toBe('/v1/payment_intents/search');
    expect(url.searchParams.get('query')).toBe(`metadata['paymentId']:'${PAYMENT_ID}'`);
  });

  it('refunds the intent with refund:<paymentId> as Idempotency-Key', async () => {
    answers.push({ status: 200, body: fixture('refund-succeeded') });

    const refund = await stripe().refund({
      paymentId: PAYMENT_ID,
      refundKey: `refund:${PAYMENT_ID}`,
      amountPaise: 25_000,
      chargeReference: 'pi_3PqZt2SFixture0001',
    });

    expect(refund).toEqual({ reference: 're_3PqZt2SFixture0001' });
    expect(seen[0]!.headers['idempotency-key']).toBe(`refund:${PAYMENT_ID}`);
    const form = new URLSearchParams(seen[0]!.body);
    expect(form.get('payment_intent')).toBe('pi_3PqZt2SFixture0001');
    expect(form.get('metadata[refundKey]')).toBe(`refund:${PAYMENT_ID}`);
  });

  it("refunds an exchange's part under its own key and amount, and tells its refund from the whole one", async () => {
    const key = `refund:${PAYMENT_ID}:01JWMD0000EXCHANGE0000001`;
    answers.push({ status: 200, body: fixture('refund-succeeded') });
    await stripe().refund({
      paymentId: PAYMENT_ID,
      refundKey: key,
      amountPaise: 4_500,
      chargeReference: 'pi_3PqZt2SFixture0001',
    });
    expect(seen[0]!.headers['idempotency-key']).toBe(key);
    expect(new URLSearchParams(seen[0]!.body).get('amount')).toBe('4500');

    // Asking: the intent by metadata, then its refunds; each key finds its own.
    for (const [asked, reference] of [
      [key, 're_3PqZt2SFixture0002'],
      [`refund:${PAYMENT_ID}`, 're_3PqZt2SFixture0001'],
      [`refund:${PAYMENT_ID}:01JWMD0000EXCHANGE0000009`, undefined],
    ] as const) {
      answers.push(
        { status: 200, body: fixture('search-one') },
        { status: 200, body: fixture('refund-list') },
      );
      expect(await stripe().refundStatus(PAYMENT_ID, asked)).toEqual(reference && { reference });
    }
  });
});

describe('webhooks', () => {
  it('verifies a Stripe-Signature and maps payment_intent.succeeded to the payment', () => {
    const raw = fixture('webhook-payment-intent-succeeded');
    const header = signPayload('whsec_fixture', raw, 1_733_100_001);

    expect(verifySignature(header, raw, 'whsec_fixture', 1_733_100_030)).toBe('valid');
    expect(parseStripeWebhook(JSON.parse(raw))).toEqual({
      kind: 'charge',
      eventId: 'evt_3PqZt2SFixture0001',
      paymentId: PAYMENT_ID,
      outcome: { outcome: 'succeeded', reference: 'pi_3PqZt2SFixture0001' },
    });
  });
});

it('form-encodes nested fields as Stripe expects', () => {
  expect(formEncode({ a: 1, metadata: { paymentId: 'X Y' } })).toBe('a=1&metadata%5BpaymentId%5D=X%20Y');
});
