/**
 * The answers API Gateway REST gives on its own (gateway responses), with its status codes, bodies and
 * `x-amzn-ErrorType` headers, and the mapping of a Lambda proxy result to an HTTP response.
 */

export interface HttpAnswer {
  readonly status: number;
  /** Header name → values (several values = several header lines, e.g. set-cookie). */
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

const json = (status: number, message: string, errorType?: string): HttpAnswer => ({
  status,
  headers: {
    'Content-Type': ['application/json'],
    ...(errorType ? { 'x-amzn-ErrorType': [errorType] } : {}),
  },
  body: Buffer.from(JSON.stringify({ message })),
});

/** API Gateway's default gateway responses, as a REST API sends them. */
export const gatewayResponses = {
  /** Unknown path, or a known path without that method (REST APIs have no 405). */
  missingAuthenticationToken: () =>
    json(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException'),
  unauthorized: (message: string = 'Unauthorized') => json(401, message, 'UnauthorizedException'),
  /** Over the 10 MB API Gateway payload limit: plain text, before any routing. */
  requestTooLarge: (limit: number): HttpAnswer => ({
    status: 413,
    headers: { 'Content-Type': ['text; charset=utf-8'] },
    body: Buffer.from(`HTTP content length exceeded ${limit} bytes.`),
  }),
  /** The proxy event exceeds Lambda's 6 MB invocation payload limit. */
  requestTooLong: () => json(413, 'Request Too Long', 'BadRequestException'),
  /** A function error, timeout, crash, or a malformed proxy result. */
  badGateway: () => json(502, 'Internal server error', 'InternalServerErrorException'),
  /** The integration did not answer within API Gateway's 29 s. */
  integrationTimeout: () => json(504, 'Endpoint request timed out', 'InternalServerErrorException'),
  internalError: () => json(500, 'Internal server error', 'InternalServerErrorException'),
  notFound: () => json(404, 'Not Found'),
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
  const put = (name: string, values: string[]) => {
    const existing = byLowerName.get(name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    byLowerName.set(name.toLowerCase(), name);
    headers[name] = values;
  };
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') return { ok: false, reason: 'headers is not an object' };
    for (const [name, value] of Object.entries(r.headers)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') return { ok: false, reason: `header ${name} is not a string` };
      put(name, [String(value)]);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object')
      return { ok: false, reason: 'multiValueHeaders is not an object' };
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values)) return { ok: false, reason: `multiValueHeaders.${name} is not a list` };
      put(name, values.map(String));
    }
  }
  if (!byLowerName.has('content-type')) put('Content-Type', ['application/json']);

  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, answer: { status, headers, body } };
}
