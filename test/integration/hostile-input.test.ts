/**
 * Derived from the app definition: every route, called by a caller holding every role (so only the input
 * decides), with malformed JSON, wrong types, unknown fields, oversized bodies, wrong media types, bad
 * ids and bad cursors. Each must answer a 4xx problem+json — never a 5xx — and write nothing: every
 * hostile request carries a unique marker that must not appear in any table or in the user pool.
 * Every protected route also refuses, in the handler itself, a request without a caller (401) and a caller
 * holding none of its roles (403): the second check behind the API Gateway authorizer.
 */
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { resolve } from 'node:path';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { isPublic, requestSchemas, ROLES } from '../../functions/shared/http/route';
import { app } from '../../lib/app/app';
import { isHttpFunction, type HttpFunctionDef } from '../../lib/app/types';
import { testClients, testResources } from '../support/engines';
import { invoke, type TestRequest, type TestResponse } from '../support/lambda';

jest.setTimeout(60_000);

const resources = testResources();
const clients = testClients(resources);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const marker = `hostile${ulid().toLowerCase()}`;
const markerEmail = `${marker}@example.com`;
const root = resolve(__dirname, '../..');
const everyone = { userId: '7d0d0a39-5c4b-4bd4-9d54-0b9f8c2c8f21', roles: [...ROLES] };

type Handler = Parameters<typeof invoke>[0];
const handlerOf = (fn: HttpFunctionDef): Handler =>
  (require(resolve(root, fn.entry)) as { handler: Handler }).handler; // eslint-disable-line @typescript-eslint/no-require-imports

/** Path parameters that are well-formed but unknown, so only the part under test is wrong. */
function wellFormed(name: string): string {
  return /user/i.test(name) ? '00000000-0000-4000-8000-000000000000' : ulid();
}

function request(fn: HttpFunctionDef, overrides: Partial<TestRequest> & { pathValue?: string }): TestRequest {
  const { route } = fn.trigger;
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const pathParameters = Object.fromEntries(names.map((n) => [n, overrides.pathValue ?? wellFormed(n)]));
  return {
    method: route.method,
    resource: route.path,
    path: route.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(pathParameters[n]!)),
    pathParameters,
    as: everyone,
    headers: { authorization: 'Bearer not-a-real-token' },
    ...overrides,
  };
}

/** A body whose every declared field has a value of the wrong type (objects where scalars belong, and v.v.). */
function wrongTypes(schema: z.core.$ZodType): Record<string, unknown> {
  const shape = schema instanceof z.core.$ZodObject ? schema._zod.def.shape : {};
  const keys = Object.keys(shape);
  return Object.fromEntries((keys.length ? keys : ['name']).map((k) => [k, { $ne: marker }]));
}

interface Case {
  name: string;
  req: TestRequest;
  expected: number[];
}

function casesFor(fn: HttpFunctionDef): Case[] {
  const { route } = fn.trigger;
  const schemas = requestSchemas(route);
  const cases: Case[] = [];
  if (schemas.body) {
    const body = (b: unknown, extra: Partial<TestRequest> = {}) => request(fn, { body: b, ...extra });
    cases.push(
      { name: 'malformed JSON', req: body(`{"email": "${markerEmail}", `), expected: [400] },
      { name: 'a JSON array', req: body([marker]), expected: [400] },
      { name: 'a JSON string', req: body(JSON.stringify(marker)), expected: [400] },
      { name: 'wrong types', req: body(wrongTypes(schemas.body)), expected: [400] },
      { name: 'only an unknown field', req: body({ [marker]: marker }), expected: [400] },
      {
        name: 'a 70 KB body',
        req: body({ email: markerEmail, name: marker.padEnd(70 * 1024, 'x') }),
        expected: [413],
      },
      {
        name: 'a text/plain body',
        req: body(JSON.stringify({ email: markerEmail }), { headers: { 'Content-Type': 'text/plain' } }),
        expected: [415],
      },
    );
  }
  if (route.path.includes('{')) {
    for (const bad of ['not-an-id', '../../etc/passwd', "' OR '1'='1", 'x'.repeat(300), marker]) {
      cases.push({
        name: `path id ${JSON.stringify(bad.slice(0, 20))}`,
        req: request(fn, { pathValue: bad, body: schemas.body ? { [marker]: marker } : undefined }),
        expected: [400, 404],
      });
    }
  }
  if (schemas.query) {
    cases.push({
      name: 'an unknown query parameter',
      req: request(fn, { query: { [marker]: marker } }),
      expected: [400],
    });
    if (schemas.query instanceof z.core.$ZodObject && Object.keys(schemas.query._zod.def.shape).length > 0) {
      const wrong = Object.fromEntries(
        Object.keys(schemas.query._zod.def.shape).map((k) => [k, `${marker}'"<>`]),
      );
      // A query of free text only (search suggestions: `q`) has no wrong shape: any text is a query.
      if (!z.safeParse(schemas.query, wrong).success)
        cases.push({
          name: 'query values of the wrong shape',
          req: request(fn, { query: wrong }),
          expected: [400],
        });
    }
  }
  if (
    schemas.query &&
    schemas.query instanceof z.core.$ZodObject &&
    'cursor' in schemas.query._zod.def.shape
  ) {
    for (const [label, query] of [
      ['a garbage cursor', { cursor: marker }],
      [
        'a base64 cursor of another shape',
        { cursor: Buffer.from('{"s":"x","k":{"pk":"USER#1"}}').toString('base64url') },
      ],
      ['limit 0', { limit: '0' }],
      ['limit 1000', { limit: '1000' }],
      ['limit abc', { limit: 'abc' }],
    ] as const) {
      cases.push({ name: label, req: request(fn, { query }), expected: [400] });
    }
  }
  return cases;
}

// Scheduled functions have no route: the matrix is about HTTP input, and their events are checked elsewhere.
const httpFunctions = app.functions.filter(isHttpFunction);
const matrix = httpFunctions.flatMap((fn) => casesFor(fn).map((c) => [fn.name, c.name, fn, c] as const));

describe('hostile input on every route', () => {
  it('covers every function with a body, a path id or a cursor', () => {
    const covered = new Set(matrix.map(([name]) => name));
    const expected = httpFunctions.filter((fn) => {
      const { body, query } = requestSchemas(fn.trigger.route);
      return body || fn.trigger.route.path.includes('{') || query;
    });
    expect([...covered].sort()).toEqual(expected.map((fn) => fn.name).sort());
  });

  it.each(matrix)('%s answers %s with a 4xx problem', async (_fn, _case, fn, c) => {
    const res: TestResponse = await invoke(handlerOf(fn), c.req);
    // Status and body together, so a failure shows what the route answered.
    expect({ status: c.expected.includes(res.status) ? 'as expected' : res.status, body: res.body }).toEqual({
      status: 'as expected',
      body: expect.objectContaining({ status: res.status, type: expect.stringMatching(/^\/problems\//) }),
    });
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  const protectedRoutes = httpFunctions.filter((fn) => !isPublic(fn.trigger.route.auth));

  it.each(protectedRoutes.map((fn) => [fn.name, fn] as const))(
    '%s refuses a request without a caller (401) and a caller without its roles (403)',
    async (_name, fn) => {
      const { auth } = fn.trigger.route;
      const { body } = requestSchemas(fn.trigger.route);
      const roles = isPublic(auth) ? [] : auth.roles;
      const sample = body ? { email: markerEmail, name: marker } : undefined;
      const anonymous = await invoke(handlerOf(fn), request(fn, { as: undefined, body: sample }));
      expect(anonymous.status).toBe(401);
      const others = ROLES.filter((r) => !roles.includes(r));
      if (others.length > 0) {
        const outsider = await invoke(
          handlerOf(fn),
          request(fn, { as: { userId: everyone.userId, roles: others }, body: sample }),
        );
        expect(outsider.status).toBe(403);
      }
    },
  );

  it('left no trace of any hostile request in the tables or the user pool', async () => {
    for (const table of Object.values(resources.tableNames)) {
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await clients.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
        expect(JSON.stringify(page.Items ?? [])).not.toContain(marker);
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
    }
    const users = await clients.cognito.send(
      new ListUsersCommand({ UserPoolId: resources.userPool.id, Filter: `email = "${markerEmail}"` }),
    );
    expect(users.Users ?? []).toEqual([]);
  });
});
