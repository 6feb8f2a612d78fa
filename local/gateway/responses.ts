/**
 * The answers API Gateway gives on its own (gateway responses) and the mapping of a Lambda proxy result to an
 * HTTP response.
 *
 * The gateway problems, their CORS headers and the preflight are the deployed API's (lib/app/gateway.ts):
 * each problem body is the API's own mapping template, filled in as API Gateway would. The `detail` is
 * API Gateway's message, e.g. "Missing Authentication Token", "Unauthorized", "The incoming token has
 * expired".
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { CORS_ALLOW_HEADERS } from '../../functions/shared/http/cors';
import {
  CORS_ALLOW_METHODS,
  CORS_MAX_AGE_SECONDS,
  GATEWAY_PROBLEMS,
  gatewayProblemHeaders,
  gatewayProblemTemplate,
  type GatewayProblem,
} from '../../lib/app/gateway';

export interface HttpAnswer {
  readonly status: number;
  /** Header name → values (several values = several header lines, e.g. set-cookie). */
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

/** The local stage allows any origin (lib/config/stages.ts). */
const CORS_ALLOW_ORIGIN = '*';

/** The gateway problems the local gateway produces, with the x-amzn-ErrorType API Gateway sends along. */
const ERROR_TYPES = {
  UNAUTHORIZED: 'UnauthorizedException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  REQUEST_TOO_LARGE: 'BadRequestException',
  INTEGRATION_TIMEOUT: 'InternalServerErrorException',
  DEFAULT_5XX: 'InternalServerErrorException',
} as const;

function gatewayProblem(
  type: keyof typeof ERROR_TYPES,
  awsStatus: number,
  message: string,
  requestId: string,
): HttpAnswer {
  const problem: GatewayProblem = GATEWAY_PROBLEMS[type];
  const body = gatewayProblemTemplate(problem)
    .replace('$context.error.messageString', () => JSON.stringify(message))
    .replace('$context.requestId', () => requestId);
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(gatewayProblemHeaders(CORS_ALLOW_ORIGIN)))
    headers[name] = [value];
  headers['x-amzn-ErrorType'] = [ERROR_TYPES[type]];
  return { status: problem.status ?? awsStatus, headers, body: Buffer.from(body) };
}

/** API Gateway's own answers, as the deployed API renders them. */
export const gatewayResponses = {
  /** Unknown path, or a known path without that method (REST APIs have no 405). */
  missingAuthenticationToken: (requestId: string) =>
    gatewayProblem('MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token', requestId),
  /** No, invalid or expired token on a protected route. */
  unauthorized: (requestId: string, message = 'Unauthorized') =>
    gatewayProblem('UNAUTHORIZED', 401, message, requestId),
  /** Over API Gateway's 10 MB payload limit. */
  requestTooLarge: (requestId: string, limit: number) =>
    gatewayProblem('REQUEST_TOO_LARGE', 413, `HTTP content length exceeded ${limit} bytes.`, requestId),
  /** The proxy event exceeds Lambda's 6 MB invocation payload limit. */
  requestTooLong: (requestId: string) =>
    gatewayProblem('REQUEST_TOO_LARGE', 413, 'Request Too Long', requestId),
  /** A function error, timeout, crash, or a malformed proxy result. */
  badGateway: (requestId: string) => gatewayProblem('DEFAULT_5XX', 502, 'Internal server error', requestId),
  /** The integration did not answer within API Gateway's 29 s. */
  integrationTimeout: (requestId: string) =>
    gatewayProblem('INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out', requestId),
  /** A fault of the local gateway itself. */
  internalError: (requestId: string) =>
    gatewayProblem('DEFAULT_5XX', 500, 'Internal server error', requestId),
  /** The CORS preflight CDK's `defaultCorsPreflightOptions` adds to every resource (mock integration, no auth). */
  preflight: (): HttpAnswer => ({
    status: 204,
    headers: {
      'Access-Control-Allow-Headers': [CORS_ALLOW_HEADERS.join(',')],
      'Access-Control-Allow-Origin': [CORS_ALLOW_ORIGIN],
      'Access-Control-Allow-Methods': [CORS_ALLOW_METHODS.join(',')],
      'Access-Control-Max-Age': [String(CORS_MAX_AGE_SECONDS)],
    },
    body: Buffer.alloc(0),
  }),
  /** Platform endpoints (not API Gateway). */
  notFound: (): HttpAnswer => ({
    status: 404,
    headers: { 'Content-Type': ['application/json'] },
    body: Buffer.from(JSON.stringify({ message: 'Not Found' })),
  }),
  starting: (): HttpAnswer => ({
    status: 503,
    headers: { 'Content-Type': ['application/json'], 'Retry-After': ['1'] },
    body: Buffer.from(JSON.stringify({ status: 'starting' })),
  }),
};

const PROXY_RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Maps a Lambda proxy integration result (the JSON payload the function returned) to an HTTP answer, or
 * explains why API Gateway would call it malformed (it answers 502 then). A REST API insists on a status
 * code, a string body and no other top-level fields; `headers` and `multiValueHeaders` are merged, and a
 * name present in both keeps only the multi-value list. Without a content type, API Gateway answers
 * application/json.
 */
export function fromProxyResult(
  payload: string,
): { ok: true; answer: HttpAnswer } | { ok: false; reason: string } {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the result is not JSON' };
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result))
    return { ok: false, reason: `the result is ${result === null ? 'null' : typeof result}, not an object` };
  const r = result as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => !PROXY_RESULT_KEYS.has(k));
  if (extra.length > 0) return { ok: false, reason: `unexpected field(s) ${extra.join(', ')}` };

  const status =
    typeof r.statusCode === 'string' && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return { ok: false, reason: `statusCode ${JSON.stringify(r.statusCode)} is not an HTTP status` };
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string')
    return { ok: false, reason: `body is ${typeof r.body}, not a string` };

  const headers: Record<string, string[]> = {};
  const byLowerName = new Map<string, string>();
  const put = (name: string, values: string[]): string | undefined => {
    // A header Node's HTTP server cannot send (not a token, a line break, beyond Latin-1) would make
    // setHeader throw after the function returned: a malformed result, like API Gateway's 502.
    try {
      validateHeaderName(name);
      for (const value of values) validateHeaderValue(name, value);
    } catch {
      return `header ${JSON.stringify(name)} cannot be sent`;
    }
    const existing = byLowerName.get(name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    byLowerName.set(name.toLowerCase(), name);
    headers[name] = values;
    return undefined;
  };
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') return { ok: false, reason: 'headers is not an object' };
    for (const [name, value] of Object.entries(r.headers)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') return { ok: false, reason: `header ${name} is not a string` };
      const refused = put(name, [String(value)]);
      if (refused) return { ok: false, reason: refused };
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object')
      return { ok: false, reason: 'multiValueHeaders is not an object' };
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values)) return { ok: false, reason: `multiValueHeaders.${name} is not a list` };
      const refused = put(name, values.map(String));
      if (refused) return { ok: false, reason: refused };
    }
  }
  if (!byLowerName.has('content-type')) put('Content-Type', ['application/json']);

  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, answer: { status, headers, body } };
}
