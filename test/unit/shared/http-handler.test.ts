import * as z from 'zod/mini';
import { ConflictError } from '../../../functions/shared/errors';
import { HttpResponse, httpHandler, MAX_BODY_BYTES } from '../../../functions/shared/http/handler';
import { defineRoute } from '../../../functions/shared/http/route';
import { apiEvent, invoke, lambdaContext } from '../../support/lambda';

const route = defineRoute({
  method: 'POST',
  path: '/v1/things/{thingId}',
  summary: 'Create a thing',
  tags: ['test'],
  auth: { roles: ['admin', 'merchant'] },
  request: () => ({
    pathParams: z.strictObject({ thingId: z.string().check(z.regex(/^[a-z]+$/)) }),
    query: z.strictObject({ dryRun: z.optional(z.enum(['true', 'false'])) }),
    body: z.strictObject({
      name: z.string().check(z.minLength(1)),
      pricePaise: z.number().check(z.int(), z.positive()),
    }),
  }),
  success: { status: 201, description: 'Created' },
});

const calls: unknown[] = [];
const handler = httpHandler(route, async ({ body, path, caller }) => {
  calls.push(body);
  if (body.name === 'taken') throw new ConflictError('That name is taken.');
  if (body.name === 'boom') throw new Error('database password is hunter2');
  if (body.name === 'accepted') return new HttpResponse(202, { queued: true }, { location: '/v1/x' });
  return { id: path.thingId, by: caller.userId, ...body };
});

const admin = { userId: 'u-1', roles: ['admin' as const] };
const ok = {
  method: 'POST',
  path: '/v1/things/abc',
  pathParameters: { thingId: 'abc' },
  body: { name: 'apple', pricePaise: 1200 },
  as: admin,
};

beforeEach(() => (calls.length = 0));

describe('httpHandler', () => {
  it('answers the success status with the JSON result', async () => {
    const res = await invoke(handler, ok);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ id: 'abc', by: 'u-1', name: 'apple', pricePaise: 1200 });
  });

  it('adds security and CORS headers', async () => {
    const res = await invoke(handler, ok);
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toBe(
      'Location,x-amzn-RequestId,Zepto-Search-Degraded',
    );
  });

  it('lets a handler choose another status and headers', async () => {
    const res = await invoke(handler, { ...ok, body: { name: 'accepted', pricePaise: 1 } });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/v1/x');
  });

  it('refuses a missing token with 401 problem+json', async () => {
    const res = await invoke(handler, { ...ok, as: undefined });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    expect(calls).toHaveLength(0);
  });

  it('refuses a caller without an allowed role with 403', async () => {
    const res = await invoke(handler, { ...ok, as: { userId: 'u-2', roles: ['customer'] } });
    expect(res.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it('reports every invalid field of body, path and query at once', async () => {
    const res = await invoke(handler, {
      ...ok,
      pathParameters: { thingId: 'ABC' },
      query: { dryRun: 'maybe' },
      body: { name: '', pricePaise: 1.5, colour: 'red' },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { in: string; field: string }) => `${e.in}:${e.field}`).sort();
    expect(fields).toEqual(['body:colour', 'body:name', 'body:pricePaise', 'path:thingId', 'query:dryRun']);
    expect(calls).toHaveLength(0);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await invoke(handler, { ...ok, body: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('answers a missing body with 400', async () => {
    const res = await invoke(handler, { ...ok, body: undefined });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'body', field: '' });
  });

  it('answers a body over 64 KB with 413 without parsing it', async () => {
    const res = await invoke(handler, { ...ok, body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }) });
    expect(res.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('takes exactly 64 KB, and answers one byte more with 413', async () => {
    const exactly = (extra: number) =>
      JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES - 26 + extra), pricePaise: 1 });
    expect(Buffer.byteLength(exactly(0))).toBe(MAX_BODY_BYTES);
    expect((await invoke(handler, { ...ok, body: exactly(0) })).status).toBe(201);
    expect((await invoke(handler, { ...ok, body: exactly(1) })).status).toBe(413);
  });

  it.each([
    ['a __proto__ key', '{"name":"a","pricePaise":1,"__proto__":{"polluted":true}}', 400],
    ['a constructor key', '{"name":"a","pricePaise":1,"constructor":{"prototype":{"polluted":true}}}', 400],
    ['1e400', '{"name":"a","pricePaise":1e400}', 400],
    ['-0', '{"name":"a","pricePaise":-0}', 400],
    ['an integer beyond 2^53', '{"name":"a","pricePaise":123456789012345678901234567890}', 400],
    ['a fraction', '{"name":"a","pricePaise":10.5}', 400],
    ['nesting 20,000 deep', `{"name":${'['.repeat(20_000)}${']'.repeat(20_000)},"pricePaise":1}`, 400],
    ['JSON null', 'null', 400],
    ['a byte order mark', '\ufeff{"name":"a","pricePaise":1}', 400],
  ])('answers a body with %s with a 4xx problem, never a 5xx', async (_case, body, status) => {
    const res = await invoke(handler, { ...ok, body });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['with a charset, upper-case', 'Application/JSON; Charset=UTF-8'],
    ['a +json type', 'application/merge-patch+json'],
  ])('reads a JSON body sent as %s', async (_case, contentType) => {
    const res = await invoke(handler, { ...ok, headers: { 'Content-Type': contentType } });
    expect(res.status).toBe(201);
  });

  it('reads a base64-encoded body', async () => {
    const event = apiEvent({ ...ok, body: undefined });
    const body = Buffer.from(JSON.stringify(ok.body)).toString('base64');
    const res = await handler(
      { ...event, body, isBase64Encoded: true, headers: { 'content-type': 'application/json' } },
      lambdaContext(),
    );
    expect(res.statusCode).toBe(201);
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await invoke(handler, { ...ok, headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  it('maps domain errors to their status', async () => {
    const res = await invoke(handler, { ...ok, body: { name: 'taken', pricePaise: 1 } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ title: 'Conflict', detail: 'That name is taken.' });
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const res = await invoke(handler, { ...ok, body: { name: 'boom', pricePaise: 1 } });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(res.body.type).toBe('/problems/internal');
  });
});

describe('httpHandler metrics', () => {
  it('counts one outcome per request, by route', async () => {
    const { metrics } = await import('../../../functions/shared/powertools');
    const add = jest.spyOn(metrics, 'addMetric');
    const dimension = jest.spyOn(metrics, 'addDimension');
    await invoke(handler, ok);
    await invoke(handler, { ...ok, as: undefined });
    await invoke(handler, { ...ok, body: { name: 'boom', pricePaise: 1 } });
    expect(add.mock.calls.map((c) => c[0])).toEqual(['Success', 'ClientError', 'ServerError']);
    expect(dimension).toHaveBeenCalledWith('route', 'POST /v1/things/{thingId}');
    add.mockRestore();
    dimension.mockRestore();
  });
});

describe('the metrics singleton', () => {
  it('puts the stage on every metric, as the observability stack alarms on it', () => {
    const previous = process.env.STAGE;
    process.env.STAGE = 'staging';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { metrics } = require('../../../functions/shared/powertools');
        metrics.addDimension('route', 'GET /v1/x');
        metrics.addMetric('Success', 'Count', 1);
        const emf = metrics.serializeMetrics();
        expect(emf._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
          expect.arrayContaining(['service', 'stage', 'route']),
        );
        expect(emf.stage).toBe('staging');
        metrics.clearMetrics();
      });
    } finally {
      process.env.STAGE = previous;
    }
  });
});
