/**
 * The payment provider simulator (issue 9, ADR 18): an HTTP server speaking the API of
 * functions/payments/adapters/simulator-provider.ts, started by the local platform and by tests.
 *
 * - Charges are idempotent per `Idempotency-Key` (the payment id): a repeated request answers the first
 *   charge and records nothing new. A request without the key is a new charge every time, as at a real
 *   provider — so the records show whether the caller sent it.
 * - Test tokens have fixed outcomes: `tok_success`, `tok_decline`, `tok_timeout` (the first call charges
 *   but answers too late), `tok_error_then_success` (the first call fails with 500 and charges nothing).
 *   Any other token succeeds unless the configured rates say otherwise: per call, `errorRate` answers 500
 *   (nothing charged), `timeoutRate` charges and answers too late, `declineRate` declines.
 * - Refunds are idempotent per key: `refund:<paymentId>` refunds the whole charge, `refund:<paymentId>:<ref>`
 *   the `amountPaise` asked (an exchange's lines); never more in all than was charged (400). `GET
 *   /v1/refunds/<key>` answers the refund made under a key.
 * - Every charge and refund is recorded per payment id (`records`, `GET /local/provider/charges` through
 *   the gateway) and sent as a signed webhook (`X-Zepto-Signature`) to `webhookUrl`.
 * - `latencyMs` delays every answer; `down` answers 503 to everything (a provider outage).
 * Configured locally by ZEPTO_PROVIDER_DECLINE_RATE / _ERROR_RATE / _TIMEOUT_RATE / _LATENCY_MS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload } from '../functions/payments/signature';

export interface SimulatorConfig {
  readonly declineRate: number;
  readonly errorRate: number;
  readonly timeoutRate: number;
  readonly latencyMs: number;
  /** Every call answers 503 (the provider is down). */
  readonly down: boolean;
}

export interface SimulatorOptions extends Partial<SimulatorConfig> {
  readonly port?: number;
  /** Where signed webhooks go (none when absent). */
  readonly webhookUrl?: string;
  /** How late a timed-out call answers (longer than the functions' provider timeout). @default 10 s */
  readonly timeoutDelayMs?: number;
  readonly apiKey?: string;
  readonly webhookSecret?: string;
  readonly random?: () => number;
}

export interface ProviderRecord {
  readonly paymentId: string;
  readonly type: 'charge' | 'refund';
  readonly status: 'succeeded' | 'failed';
  readonly amountPaise: number;
  readonly at: string;
}

export interface ProviderSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly webhookSecret: string;
  records(paymentId?: string): ProviderRecord[];
  configure(config: Partial<SimulatorConfig>): void;
  readonly config: SimulatorConfig;
  /** Webhooks sent and not yet answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Charge {
  readonly id: string;
  readonly paymentId: string;
  readonly status: 'succeeded' | 'failed';
  readonly declineCode?: string;
  readonly amountPaise: number;
}

const RATE_VARS = {
  declineRate: 'ZEPTO_PROVIDER_DECLINE_RATE',
  errorRate: 'ZEPTO_PROVIDER_ERROR_RATE',
  timeoutRate: 'ZEPTO_PROVIDER_TIMEOUT_RATE',
} as const;

/** The simulator's settings from the local knobs (rates 0-1, latency in ms); throws on a malformed one. */
export function simulatorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<SimulatorConfig> {
  const config: { -readonly [K in keyof SimulatorConfig]?: SimulatorConfig[K] } = {};
  for (const [key, name] of Object.entries(RATE_VARS) as [keyof typeof RATE_VARS, string][]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const rate = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || rate < 0 || rate > 1)
      throw new Error(`${name} must be a number from 0 to 1, got "${value}"`);
    config[key] = rate;
  }
  const latency = env.ZEPTO_PROVIDER_LATENCY_MS;
  if (latency !== undefined && latency !== '') {
    if (!/^\d{1,6}$/.test(latency))
      throw new Error(`ZEPTO_PROVIDER_LATENCY_MS must be whole milliseconds, got "${latency}"`);
    config.latencyMs = Number(latency);
  }
  const { declineRate = 0, errorRate = 0, timeoutRate = 0 } = config;
  if (declineRate + errorRate + timeoutRate > 1)
    throw new Error('ZEPTO_PROVIDER_DECLINE_RATE + _ERROR_RATE + _TIMEOUT_RATE must not exceed 1');
  return config;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startProviderSimulator(opts: SimulatorOptions = {}): Promise<ProviderSimulator> {
  let config: SimulatorConfig = {
    declineRate: opts.declineRate ?? 0,
    errorRate: opts.errorRate ?? 0,
    timeoutRate: opts.timeoutRate ?? 0,
    latencyMs: opts.latencyMs ?? 0,
    down: opts.down ?? false,
  };
  const random = opts.random ?? Math.random;
  const apiKey = opts.apiKey ?? `sim_key_${randomBytes(16).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
  const timeoutDelayMs = opts.timeoutDelayMs ?? 10_000;
  const charges = new Map<string, Charge>();
  // Keyed by the refund's idempotency key.
  const refunds = new Map<
    string,
    { id: string; paymentId: string; refundKey?: string; amountPaise: number }
  >();
  const firstCallSeen = new Set<string>();
  const records: ProviderRecord[] = [];
  const pending = new Set<Promise<void>>();
  const sockets = new Set<import('node:net').Socket>();
  let closing = false;
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(++sequence).toString(36)}`;

  const webhook = (type: string, data: Record<string, unknown>) => {
    if (!opts.webhookUrl || closing) return;
    const body = JSON.stringify({ id: nextId('evt'), type, createdAt: new Date().toISOString(), data });
    const send = (async () => {
      for (let attempt = 0; attempt < 3 && !closing; attempt++) {
        try {
          const response = await fetch(opts.webhookUrl!, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-zepto-signature': signPayload(webhookSecret, body, Math.floor(Date.now() / 1000)),
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (response.status < 500) return;
        } catch {
          // the API is not up (yet): try again
        }
        await sleep(200 * 2 ** attempt);
      }
    })();
    pending.add(send);
    void send.finally(() => pending.delete(send));
  };

  const record = (
    paymentId: string,
    type: 'charge' | 'refund',
    status: 'succeeded' | 'failed',
    amountPaise: number,
  ) => records.push({ paymentId, type, status, amountPaise, at: new Date().toISOString() });

  const chargeView = (c: Charge) => ({
    id: c.id,
    object: 'charge',
    paymentId: c.paymentId,
    status: c.status,
    amountPaise: c.amountPaise,
    ...(c.declineCode ? { declineCode: c.declineCode } : {}),
  });

  function newCharge(paymentId: string, amountPaise: number, declined: boolean, idempotent: boolean): Charge {
    const charge: Charge = {
      id: nextId('ch'),
      paymentId,
      status: declined ? 'failed' : 'succeeded',
      ...(declined ? { declineCode: 'CARD_DECLINED' } : {}),
      amountPaise,
    };
    if (idempotent) charges.set(paymentId, charge);
    record(paymentId, 'charge', charge.status, amountPaise);
    webhook(declined ? 'charge.failed' : 'charge.succeeded', {
      id: charge.id,
      paymentId,
      status: charge.status,
      ...(charge.declineCode ? { declineCode: charge.declineCode } : {}),
    });
    return charge;
  }

  type Answer = { status: number; body?: unknown; lateMs?: number };

  function charge(body: Record<string, unknown>, key: string | undefined): Answer {
    const paymentId = typeof body.paymentId === 'string' ? body.paymentId : '';
    const token = typeof body.token === 'string' ? body.token : '';
    const amountPaise = typeof body.amountPaise === 'number' ? body.amountPaise : NaN;
    if (!paymentId || !token || !Number.isInteger(amountPaise) || amountPaise <= 0)
      return { status: 400, body: { error: 'paymentId, token and a positive amountPaise are required' } };
    if (key !== undefined && key !== paymentId)
      return { status: 400, body: { error: 'Idempotency-Key must be the paymentId' } };
    const idempotent = key !== undefined;
    const existing = idempotent ? charges.get(paymentId) : undefined;
    if (existing) return { status: 200, body: chargeView(existing) };
    const first = !firstCallSeen.has(paymentId);
    firstCallSeen.add(paymentId);
    switch (token) {
      case 'tok_success':
        return { status: 200, body: chargeView(newCharge(paymentId, amountPaise, false, idempotent)) };
      case 'tok_decline':
        return { status: 200, body: chargeView(newCharge(paymentId, amountPaise, true, idempotent)) };
      case 'tok_timeout': {
        const c = newCharge(paymentId, amountPaise, false, idempotent);
        return first
          ? { status: 200, body: chargeView(c), lateMs: timeoutDelayMs }
          : { status: 200, body: chargeView(c) };
      }
      case 'tok_error_then_success':
        if (first) return { status: 500, body: { error: 'simulated provider error' } };
        return { status: 200, body: chargeView(newCharge(paymentId, amountPaise, false, idempotent)) };
      default: {
        const roll = random();
        if (roll < config.errorRate) return { status: 500, body: { error: 'simulated provider error' } };
        const declined = random() < config.declineRate / Math.max(1e-9, 1 - config.errorRate);
        const c = newCharge(paymentId, amountPaise, declined, idempotent);
        if (roll < config.errorRate + config.timeoutRate)
          return { status: 200, body: chargeView(c), lateMs: timeoutDelayMs };
        return { status: 200, body: chargeView(c) };
      }
    }
  }

  /**
   * A refund of the whole charge (key `refund:<paymentId>`) or of part of it (`refund:<paymentId>:<ref>`,
   * `amountPaise` required); idempotent per key, and never more in all than was charged.
   */
  function refund(body: Record<string, unknown>, key: string | undefined): Answer {
    const paymentId = typeof body.paymentId === 'string' ? body.paymentId : '';
    if (!paymentId) return { status: 400, body: { error: 'paymentId is required' } };
    if (key !== undefined && key !== `refund:${paymentId}` && !key.startsWith(`refund:${paymentId}:`))
      return { status: 400, body: { error: 'Idempotency-Key must be refund:<paymentId>[:<reference>]' } };
    const existing = key !== undefined ? refunds.get(key) : undefined;
    if (existing) return { status: 200, body: { ...existing, object: 'refund', status: 'succeeded' } };
    const charged = charges.get(paymentId);
    if (charged?.status !== 'succeeded')
      return { status: 409, body: { error: 'No succeeded charge to refund' } };
    const amountPaise = typeof body.amountPaise === 'number' ? body.amountPaise : charged.amountPaise;
    const refundedPaise = [...refunds.values()]
      .filter((r) => r.paymentId === paymentId)
      .reduce((sum, r) => sum + r.amountPaise, 0);
    if (
      !Number.isInteger(amountPaise) ||
      amountPaise <= 0 ||
      refundedPaise + amountPaise > charged.amountPaise
    )
      return { status: 400, body: { error: 'The refund exceeds what is left of the charge' } };
    if (random() < config.errorRate) return { status: 500, body: { error: 'simulated provider error' } };
    const made = { id: nextId('re'), paymentId, refundKey: key, amountPaise };
    if (key !== undefined) refunds.set(key, made);
    record(paymentId, 'refund', 'succeeded', made.amountPaise);
    webhook('refund.succeeded', { id: made.id, paymentId, refundKey: key, status: 'succeeded' });
    return { status: 200, body: { ...made, object: 'refund', status: 'succeeded' } };
  }

  async function route(req: IncomingMessage, raw: string): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return { status: 401, body: { error: 'Invalid API key' } };
    if (config.down) return { status: 503, body: { error: 'simulated outage' } };
    const key =
      typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return { status: 400, body: { error: 'Malformed JSON' } };
      }
    }
    const match = /^\/v1\/(charges|refunds)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return { status: 404, body: { error: 'Not found' } };
    const [, kind, id] = match;
    if (req.method === 'POST' && !id) return kind === 'charges' ? charge(body, key) : refund(body, key);
    if (req.method === 'GET' && id) {
      if (random() < config.errorRate) return { status: 500, body: { error: 'simulated provider error' } };
      // A payment id for a charge, a refund's idempotency key for a refund.
      const paymentId = decodeURIComponent(id);
      if (kind === 'charges') {
        const found = charges.get(paymentId);
        return found
          ? { status: 200, body: chargeView(found) }
          : { status: 404, body: { error: 'No charge' } };
      }
      const found = refunds.get(paymentId);
      return found
        ? { status: 200, body: { ...found, object: 'refund', status: 'succeeded' } }
        : { status: 404, body: { error: 'No refund' } };
    }
    return { status: 405, body: { error: 'Method not allowed' } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const answer = await route(req, Buffer.concat(chunks).toString('utf8'));
        const wait = config.latencyMs + (answer.lateMs ?? 0);
        if (wait > 0) await sleep(wait);
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    webhookSecret,
    get config() {
      return config;
    },
    records: (paymentId) => records.filter((r) => paymentId === undefined || r.paymentId === paymentId),
    configure: (change) => {
      config = { ...config, ...change };
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      closing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}
