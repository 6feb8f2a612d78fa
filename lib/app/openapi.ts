/**
 * The OpenAPI 3.1 document, generated from the route contracts of the app definition and their zod
 * schemas (zod 4 emits JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect). Served locally at
 * GET /openapi.json and checked by a validator in the tests.
 */
import * as z from 'zod';
import {
  IDEMPOTENCY_KEY_PATTERN,
  identifiesCaller,
  isPublic,
  requestSchemas,
  type RouteContract,
} from '../../functions/shared/http/route';
import { isHttpFunction, type AppDef } from './types';

type JsonSchema = Record<string, unknown>;

const PROBLEM_STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid; `errors` lists every bad field',
  401: 'No valid access token',
  403: 'The caller may not do this',
  404: 'Not found',
  409: 'Conflicts with the current state',
  412: 'The resource changed since the version in If-Match',
  413: 'The body is larger than 64 KB',
  415: 'The body is not application/json',
  422: 'The Idempotency-Key was already used with a different request',
  429: 'Too many requests',
  500: 'Unexpected failure; details are in the logs, never in the response',
};

const problemSchema: JsonSchema = {
  type: 'object',
  description:
    'RFC 9457 problem details; some problem types add extension members (e.g. `lines` of /problems/insufficient-stock)',
  additionalProperties: true,
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'Relative URI naming the problem, e.g. /problems/validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'Request id' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: {
          in: { enum: ['body', 'path', 'query', 'header'] },
          field: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return rest;
}

function parameters(schema: z.core.$ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'New for every new request (e.g. a UUID). A retry with the same key and the same request replays the first answer (with `Idempotent-Replayed: true`); the same key with another request is 422; a retry while the first is still running is 409. Keys are remembered for 24 hours.',
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: IDEMPOTENCY_KEY_PATTERN.source },
};

function operation(route: RouteContract, operationId: string, description: string) {
  const request = requestSchemas(route);
  const errorStatuses = new Set<number>([400, 500, ...(route.errors ?? [])]);
  if (!isPublic(route.auth)) [401, 403].forEach((s) => errorStatuses.add(s));
  if (identifiesCaller(route.auth)) errorStatuses.add(401);
  if (request.body) [413, 415].forEach((s) => errorStatuses.add(s));
  if (route.idempotent) [409, 422].forEach((s) => errorStatuses.add(s));

  const responses: Record<string, unknown> = {
    [route.success.status]: {
      description: route.success.description,
      ...(route.success.schema
        ? { content: { 'application/json': { schema: jsonSchema(route.success.schema(), 'output') } } }
        : {}),
    },
  };
  for (const status of [...errorStatuses].sort()) {
    responses[status] = {
      description: PROBLEM_STATUS_TEXT[status] ?? 'Error',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }

  return {
    operationId,
    summary: route.summary,
    description,
    tags: [...route.tags],
    ...(isPublic(route.auth)
      ? // An empty requirement object makes the token optional (OpenAPI 3.1 §4.8.30).
        { security: identifiesCaller(route.auth) ? [{}, { cognito: [] }] : [] }
      : { security: [{ cognito: [] }], 'x-zepto-roles': [...route.auth.roles] }),
    parameters: [
      ...parameters(request.pathParams, 'path'),
      ...parameters(request.query, 'query'),
      ...(route.idempotent ? [IDEMPOTENCY_KEY_PARAMETER] : []),
    ],
    ...(request.body
      ? {
          requestBody: {
            // A body schema that accepts no body (e.g. only optional settings) makes the body optional.
            required: !z.safeParse(request.body, undefined).success,
            content: { 'application/json': { schema: jsonSchema(request.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(app: AppDef, serverUrl = 'http://127.0.0.1:3000') {
  const paths: Record<string, Record<string, unknown>> = {};
  // Only HTTP functions are operations; scheduled ones have no route.
  for (const fn of app.functions.filter(isHttpFunction)) {
    const { route } = fn.trigger;
    const roles = identifiesCaller(route.auth)
      ? "Public; a signed-in caller's access token (optional) is checked and identifies them."
      : isPublic(route.auth)
        ? 'Public.'
        : `Roles: ${route.auth.roles.join(', ')}.`;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(
      route,
      fn.name,
      `${fn.description} ${roles}`,
    );
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Zepto API',
      version: '1.0.0',
      description:
        'Quick-commerce API. Errors are application/problem+json (RFC 9457). Send the access token from ' +
        'POST /v1/auth/login as `Authorization: Bearer <token>`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ cognito: [] }],
    paths,
    components: {
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito access token' },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
