import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  DomainError,
  ForbiddenError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldError,
} from '../errors';
import { logger, metrics } from '../powertools';
import { lazyTracing } from '../tracing';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from './cors';
import { callerFromEvent, type Caller } from './identity';
import { internalProblem, problemFor, problemResponse } from './problem';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  identifiesCaller,
  isPublic,
  requestSchemas,
  type RequestSchemas,
  type RouteContract,
} from './route';

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

type Infer<T> = [Exclude<T, undefined>] extends [z.core.$ZodType]
  ? z.infer<Exclude<T, undefined>>
  : undefined;

export interface HttpRequest<B, P, Q> {
  readonly body: B;
  readonly path: P;
  readonly query: Q;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (UTF-8), for checks over its bytes such as webhook signatures. */
  readonly rawBody: string | undefined;
  /** The authenticated caller; reading it on a public route without a token throws 401. */
  readonly caller: Caller;
  /** The caller if a valid token came along, on any route. */
  readonly optionalCaller: Caller | undefined;
  readonly requestId: string;
  /**
   * Epoch ms until which a use case may retry within this request (lost races, conflicts): the function's
   * timeout less time for a last attempt and the answer, so a retryable 409 reaches the client instead of
   * the timeout cutting the request off.
   */
  readonly retryUntil: () => number;
}

/** Time kept back from the function's timeout for a request's last attempt and its answer. */
const LAST_ATTEMPT_MS = 2_000;

/** A response other than the route's success status with a JSON body. */
export class HttpResponse {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * Runs the use case of an idempotent route at most once per caller, route and `Idempotency-Key`
 * (functions/shared/http/idempotency.ts); a replay answers what the first run answered.
 */
export interface IdempotencyLayer {
  run(
    request: HttpRequest<unknown, unknown, unknown>,
    context: Context,
    handle: (request: HttpRequest<unknown, unknown, unknown>) => Promise<unknown>,
  ): Promise<HttpResponse>;
}

export interface HttpHandlerOptions {
  /** Required exactly when the route is `idempotent`. */
  readonly idempotency?: IdempotencyLayer;
}

export type RouteHandler<C extends RouteContract> = (
  request: C extends RouteContract<infer B, infer P, infer Q>
    ? HttpRequest<Infer<B>, Infer<P>, Infer<Q>>
    : never,
) => Promise<unknown>;

/**
 * Wraps a use-case call into a Lambda handler for an API Gateway REST proxy event: parses and validates
 * every part of the request against the route contract, checks the caller's role, and maps the result or
 * error to JSON / problem+json. The core never throws, so the outer middlewares (CORS, security headers,
 * Powertools) see every response.
 */
export function httpHandler<C extends RouteContract>(
  route: C,
  handle: RouteHandler<C>,
  options: HttpHandlerOptions = {},
) {
  const routeName = `${route.method} ${route.path}`;
  // This route's schemas only, at init: its first request then pays no schema building (and no other
  // route's schemas are ever built here).
  const schemas = requestSchemas(route);
  // Fails the cold start (and every test that imports the handler) rather than serve a retry twice.
  if (Boolean(route.idempotent) !== Boolean(options.idempotency))
    throw new Error(
      `${routeName}: ${route.idempotent ? 'an idempotent route needs idempotentHttpHandler' : 'only idempotent routes take an idempotency layer'}`,
    );
  const run = options.idempotency
    ? (request: HttpRequest<unknown, unknown, unknown>, context: Context) =>
        options.idempotency!.run(request, context, handle as (r: typeof request) => Promise<unknown>)
    : (request: HttpRequest<unknown, unknown, unknown>) => handle(request as Parameters<RouteHandler<C>>[0]);
  const core = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const response = await respond(event, context);
    // One outcome metric per request and route: dashboards and alarms read these (and the flush is never
    // empty). A 500 is returned, not thrown, so Lambda's own Errors metric does not count it.
    const outcome =
      response.statusCode >= 500 ? 'ServerError' : response.statusCode >= 400 ? 'ClientError' : 'Success';
    metrics.addDimension('route', routeName);
    metrics.addMetric(outcome, 'Count', 1);
    return response;
  };
  const respond = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const instance = context.awsRequestId;
    try {
      const request = parseRequest(route, schemas, event, context, await identify(route, event));
      return toResponse(route, await run(request, context));
    } catch (error) {
      if (error instanceof DomainError) {
        logger.info('Request refused', { status: error.status, code: error.code });
        return problemResponse(problemFor(error, instance));
      }
      logger.error('Unhandled error', error as Error);
      return problemResponse(internalProblem(instance));
    }
  };

  return (
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      // X-Ray subsegments for sampled requests only, loaded on the first one (never the response body).
      .use(lazyTracing())
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      .use(httpHeaderNormalizer())
      .use(httpSecurityHeaders())
      .use(
        httpCors({
          origin: '*',
          headers: CORS_ALLOW_HEADERS.join(','),
          exposeHeaders: CORS_EXPOSE_HEADERS.join(','),
        }),
      )
      .handler(core)
  );
}

/**
 * The caller the gateway's authorizer verified; on a public route that identifies its caller, the one a
 * presented token names (checked here, with the token-checking code loaded on first use).
 */
async function identify(route: RouteContract, event: APIGatewayProxyEvent): Promise<Caller | undefined> {
  const verified = callerFromEvent(event);
  if (verified || !identifiesCaller(route.auth)) return verified;
  const authorization = (event.headers ?? {}).authorization;
  if (!authorization) return undefined;
  const { callerFromToken } = await import('./caller-token');
  return callerFromToken(authorization);
}

function parseRequest(
  route: RouteContract,
  schemas: RequestSchemas,
  event: APIGatewayProxyEvent,
  context: Context,
  optionalCaller: Caller | undefined,
) {
  const headers = (event.headers ?? {}) as Record<string, string | undefined>;
  authorize(route, optionalCaller);

  const fieldErrors: FieldError[] = [];
  const path = validate(schemas.pathParams, event.pathParameters ?? {}, 'path', fieldErrors);
  const query = validate(schemas.query, event.queryStringParameters ?? {}, 'query', fieldErrors);
  if (schemas.headers) validate(schemas.headers, headers, 'header', fieldErrors);
  if (route.idempotent && !IDEMPOTENCY_KEY_PATTERN.test(headers[IDEMPOTENCY_KEY_HEADER] ?? ''))
    fieldErrors.push({
      in: 'header',
      field: IDEMPOTENCY_KEY_HEADER,
      message: 'Required: 8 to 128 visible ASCII characters, new for every new request (e.g. a UUID)',
    });
  const body = schemas.body
    ? validate(schemas.body, readJsonBody(event, headers), 'body', fieldErrors)
    : undefined;
  if (fieldErrors.length > 0) throw new ValidationError('The request has invalid fields.', fieldErrors);

  return {
    body,
    path,
    query,
    headers,
    rawBody: rawBodyOf(event),
    optionalCaller,
    get caller(): Caller {
      if (!optionalCaller) throw new UnauthorizedError('A valid access token is required.');
      return optionalCaller;
    },
    requestId: context.awsRequestId,
    retryUntil: () => Date.now() + context.getRemainingTimeInMillis() - LAST_ATTEMPT_MS,
  };
}

/** Second line of defence after the API Gateway authorizer: the route's roles, checked in code. */
function authorize(route: RouteContract, caller: Caller | undefined): void {
  if (isPublic(route.auth)) return;
  if (!caller) throw new UnauthorizedError('A valid access token is required.');
  const allowed = route.auth.roles;
  if (!caller.roles.some((role) => allowed.includes(role))) {
    throw new ForbiddenError(`This action needs one of the roles: ${allowed.join(', ')}.`);
  }
}

function rawBodyOf(event: APIGatewayProxyEvent): string | undefined {
  if (event.body === null || event.body === undefined) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function readJsonBody(event: APIGatewayProxyEvent, headers: Record<string, string | undefined>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The request body may be at most ${MAX_BODY_BYTES} bytes.`);
  }
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json' && !contentType?.endsWith('+json')) {
    throw new UnsupportedMediaTypeError('Send the request body as application/json.');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON.', [
      { in: 'body', field: '', message: 'Malformed JSON' },
    ]);
  }
}

function validate(
  schema: z.core.$ZodType | undefined,
  value: unknown,
  where: FieldError['in'],
  errors: FieldError[],
): unknown {
  if (!schema) return undefined;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ in: where, field: base ? `${base}.${key}` : key, message: 'Unknown field' });
      }
    } else {
      errors.push({ in: where, field: base, message: issue.message });
    }
  }
  return undefined;
}

function toResponse(route: RouteContract, result: unknown): APIGatewayProxyResult {
  const response = result instanceof HttpResponse ? result : new HttpResponse(route.success.status, result);
  if (response.status === 204 || response.body === undefined) {
    return { statusCode: response.status, headers: response.headers, body: '' };
  }
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json', ...response.headers },
    body: JSON.stringify(response.body),
  };
}
