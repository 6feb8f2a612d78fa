import { validate, compileErrors } from '@readme/openapi-parser';
import * as z from 'zod';
import { app } from '../../../lib/app/app';
import { buildOpenApiDocument } from '../../../lib/app/openapi';
import { OPENAPI_FILE, renderOpenApi } from '../../../lib/app/write-openapi';
import { readFileSync } from 'node:fs';
import { isHttpFunction, type AppDef } from '../../../lib/app/types';
import { defineRoute } from '../../../functions/shared/http/route';

const fixture: AppDef = {
  tables: [],
  buckets: [],
  userPool: { groups: [] },
  functions: [
    {
      name: 'GetThing',
      service: 'test',
      entry: 'x.ts',
      description: 'Reads a thing.',
      trigger: {
        kind: 'http',
        route: defineRoute({
          method: 'GET',
          path: '/v1/things/{thingId}',
          summary: 'Read a thing',
          tags: ['things'],
          auth: { public: true },
          request: () => ({
            pathParams: z.strictObject({ thingId: z.string().length(26) }),
            query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
          }),
          success: { status: 200, description: 'The thing', schema: () => z.object({ id: z.string() }) },
          errors: [404],
        }),
      },
    },
    {
      name: 'PutThing',
      service: 'test',
      entry: 'y.ts',
      description: 'Replaces a thing.',
      trigger: {
        kind: 'http',
        route: defineRoute({
          method: 'PUT',
          path: '/v1/things/{thingId}',
          summary: 'Replace a thing',
          tags: ['things'],
          auth: { roles: ['admin'] },
          request: () => ({
            pathParams: z.strictObject({ thingId: z.string() }),
            body: z.strictObject({ name: z.string().trim().toLowerCase() }),
          }),
          success: { status: 204, description: 'Replaced' },
        }),
      },
    },
    {
      name: 'OrderThing',
      service: 'test',
      entry: 'z.ts',
      description: 'Orders a thing.',
      trigger: {
        kind: 'http',
        route: defineRoute({
          method: 'POST',
          path: '/v1/things/{thingId}/orders',
          summary: 'Order a thing',
          tags: ['things'],
          auth: { roles: ['customer'] },
          idempotent: true,
          request: () => ({ pathParams: z.strictObject({ thingId: z.string() }) }),
          success: { status: 201, description: 'Ordered' },
        }),
      },
    },
  ],
};

describe('the OpenAPI document', () => {
  it.each([
    ['the real app', app],
    ['a fixture app', fixture],
  ])('of %s is valid OpenAPI 3.1', async (_name, def) => {
    const result = await validate(structuredClone(buildOpenApiDocument(def)) as never);
    if (!result.valid) throw new Error(compileErrors(result));
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const { info: _info, ...broken } = buildOpenApiDocument(fixture);
    expect((await validate(structuredClone(broken) as never)).valid).toBe(false);
  });

  it('is committed up to date in docs/openapi.json (npm run openapi rewrites it)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('lists every route of the app definition under its method and path', () => {
    const doc = buildOpenApiDocument(app);
    for (const fn of app.functions.filter(isHttpFunction)) {
      const { method, path } = fn.trigger.route;
      expect(doc.paths[path]?.[method.toLowerCase()]).toMatchObject({ operationId: fn.name });
    }
  });

  it('has one operation per HTTP function and none for scheduled functions', () => {
    const doc = buildOpenApiDocument(app);
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );
    expect(operations.sort()).toEqual(
      app.functions
        .filter(isHttpFunction)
        .map((fn) => fn.name)
        .sort(),
    );
    expect(app.functions.some((fn) => fn.trigger.kind === 'schedule')).toBe(true);
  });

  it('marks public routes as needing no token and others with their roles', () => {
    const doc = buildOpenApiDocument(fixture);
    const item = doc.paths['/v1/things/{thingId}'] as Record<string, Record<string, unknown>>;
    expect(item.get?.security).toEqual([]);
    expect(item.put?.security).toEqual([{ cognito: [] }]);
    expect(item.put?.['x-zepto-roles']).toEqual(['admin']);
    expect(Object.keys(item.put?.responses as object)).toEqual(
      expect.arrayContaining(['204', '400', '401', '403', '413', '415', '500']),
    );
  });

  it('documents path and query parameters from the zod schemas', () => {
    const doc = buildOpenApiDocument(fixture);
    const get = (doc.paths['/v1/things/{thingId}'] as Record<string, { parameters: unknown[] }>).get;
    expect(get?.parameters).toEqual([
      expect.objectContaining({ name: 'thingId', in: 'path', required: true }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    ]);
  });

  it('requires the Idempotency-Key header on idempotent routes and documents 409 and 422 there', () => {
    const doc = buildOpenApiDocument(fixture);
    const operations = doc.paths as Record<
      string,
      Record<string, { parameters: unknown[]; responses: object }>
    >;
    const post = operations['/v1/things/{thingId}/orders']!.post!;
    expect(post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['409', '422']));
    const put = operations['/v1/things/{thingId}']!.put!;
    expect(put.parameters).not.toContainEqual(expect.objectContaining({ name: 'Idempotency-Key' }));
    expect(Object.keys(put.responses)).not.toContain('422');
  });
});
