/**
 * Idempotency-Key on a fixture route, against the real Idempotency table in DynamoDB Local: what checkout,
 * payments, cancellations and exchanges rely on.
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { ConflictError } from '../../../functions/shared/errors';
import { httpHandler } from '../../../functions/shared/http/handler';
import { idempotentHttpHandler } from '../../../functions/shared/http/idempotency';
import { defineRoute } from '../../../functions/shared/http/route';
import { invoke, type TestRequest } from '../../support/lambda';

const route = defineRoute({
  method: 'POST',
  path: '/v1/things/{thingId}/orders',
  summary: 'Order a thing',
  tags: ['test'],
  auth: { roles: ['customer'] },
  idempotent: true,
  request: () => ({
    pathParams: z.strictObject({ thingId: z.string() }),
    body: z.strictObject({ quantity: z.number().check(z.int(), z.positive()) }),
  }),
  success: { status: 201, description: 'Ordered' },
});

let runs = 0;
const handler = idempotentHttpHandler(route, async ({ body, path, caller }) => {
  runs++;
  // Long enough for concurrent duplicates to find the first still in progress.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (body.quantity === 13) throw new ConflictError('Out of stock.');
  return { orderId: ulid(), thingId: path.thingId, quantity: body.quantity, by: caller.userId };
});

const customer = (userId = ulid()) => ({ userId, roles: ['customer' as const] });
const order = (key: string | undefined, quantity: number, as = customer()): TestRequest => ({
  method: 'POST',
  path: '/v1/things/t-1/orders',
  pathParameters: { thingId: 't-1' },
  headers: key === undefined ? {} : { 'Idempotency-Key': key },
  body: { quantity },
  as,
});

beforeEach(() => (runs = 0));

describe('an idempotent route', () => {
  it('refuses a request without a usable Idempotency-Key and runs nothing', async () => {
    for (const key of [undefined, '', 'short', 'has spaces in it', 'x'.repeat(129)]) {
      const res = await invoke(handler, order(key, 1));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ in: 'header', field: 'idempotency-key' })]);
    }
    expect(runs).toBe(0);
  });

  it('replays the first answer to a retry with the same key and request, marked as a replay', async () => {
    const as = customer();
    const key = ulid();
    const first = await invoke(handler, order(key, 2, as));
    const retry = await invoke(handler, order(key, 2, as));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it('answers 422 to the same key with another request', async () => {
    const as = customer();
    const key = ulid();
    expect((await invoke(handler, order(key, 2, as))).status).toBe(201);
    const other = await invoke(handler, order(key, 3, as));
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json');
    expect(runs).toBe(1);
  });

  it('runs once for 20 concurrent requests with one key: the others replay it or are told it is in progress', async () => {
    const as = customer();
    const key = ulid();
    const answers = await Promise.all(Array.from({ length: 20 }, () => invoke(handler, order(key, 4, as))));
    expect(runs).toBe(1);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.orderId)).size).toBe(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const after = await invoke(handler, order(key, 4, as));
    expect(after.body.orderId).toBe(created[0]!.body.orderId);
  });

  it('keeps one caller’s key apart from another’s', async () => {
    const key = ulid();
    const a = await invoke(handler, order(key, 5));
    const b = await invoke(handler, order(key, 5));
    expect(a.body.orderId).not.toBe(b.body.orderId);
    expect(runs).toBe(2);
  });

  it('does not keep a refusal: the same key runs again', async () => {
    const as = customer();
    const key = ulid();
    expect((await invoke(handler, order(key, 13, as))).status).toBe(409);
    expect((await invoke(handler, order(key, 13, as))).status).toBe(409);
    expect(runs).toBe(2);
  });

  it('cannot be served by the plain handler, nor can a plain route take the layer', () => {
    expect(() => httpHandler(route, async () => ({}))).toThrow('idempotentHttpHandler');
    expect(() => idempotentHttpHandler({ ...route, idempotent: false }, async () => ({}))).toThrow(
      'only idempotent routes',
    );
  });
});
