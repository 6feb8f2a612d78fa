/**
 * A node:http server that behaves like the API Gateway REST API in front of the functions: routing from
 * the route contracts, the Cognito authorizer on non-public routes, CORS preflights, payload limits, the
 * Lambda proxy event in and the proxy result out, and API Gateway's own error answers rendered as the
 * deployed API renders them (problem+json gateway responses; see responses.ts).
 * Platform endpoints sit beside the API: `GET /health`, `GET /openapi.json`, and the backend's local-only
 * `GET /local/...` routes (what a deployed stage has no equivalent of: the provider simulator's charges,
 * the notification outbox), answered as JSON without the authorizer.
 *
 * The server can listen before the platform is ready (so a busy port fails fast); until `ready()` is
 * called it answers 503.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteAuth } from '../../functions/shared/http/route';
import type { InvokeResult } from '../runtime/runner';
import type { Authorizer } from './authorizer';
import { buildProxyEvent } from './proxy-event';
import { fromProxyResult, gatewayResponses, type HttpAnswer } from './responses';
import { RouteTable } from './routes';

/** API Gateway's maximum request payload. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Lambda's maximum synchronous invocation payload (the proxy event as JSON). */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;
/** API Gateway's maximum integration timeout. */
const INTEGRATION_TIMEOUT_MS = 29_000;

export interface GatewayRoute {
  readonly method: string;
  readonly path: string;
  readonly auth: RouteAuth;
  /** The function behind the route. */
  readonly functionName: string;
}

/** A local-only endpoint under `/local/` (never deployed): a GET answered with JSON. */
export interface PlatformRoute {
  readonly path: `/local/${string}`;
  /** Status and JSON body; a thrown error is a 500 problem. */
  handle(query: URLSearchParams): Promise<{ readonly status: number; readonly body: unknown }>;
}

export interface GatewayBackend {
  readonly routes: readonly GatewayRoute[];
  readonly platformRoutes?: readonly PlatformRoute[];
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  readonly authorizer: Authorizer;
  /** The OpenAPI document, or undefined while there is none (404). */
  openapi?(): Promise<unknown>;
}

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** API Gateway stage name in requestContext (default 'local'). */
  readonly stage?: string;
  /** No access log. */
  readonly quiet?: boolean;
  readonly log?: (line: string) => void;
  readonly integrationTimeoutMs?: number;
  readonly maxRequestBytes?: number;
  /** Content types passed to functions base64-encoded (the REST API's binaryMediaTypes); default none. */
  readonly binaryMediaTypes?: readonly string[];
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  /** Starts serving the API with this backend (until then: 503). */
  ready(backend: GatewayBackend): void;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions, backend?: GatewayBackend): Promise<Gateway> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.quiet ? undefined : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const limit = opts.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const integrationTimeoutMs = opts.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const binaryTypes = opts.binaryMediaTypes ?? [];
  let state:
    { backend: GatewayBackend; table: RouteTable<GatewayRoute>; openapi?: Promise<unknown> } | undefined;
  let port = opts.port;

  const setBackend = (b: GatewayBackend) => {
    const table = new RouteTable(
      b.routes.map((route) => ({ method: route.method, path: route.path, value: route })),
    );
    state = { backend: b, table };
  };
  if (backend) setBackend(backend);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath =
      (queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl).replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
    const rawQuery = queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '';
    let note = '';

    const answer = async (): Promise<HttpAnswer> => {
      // Platform endpoints, outside the API.
      if (rawPath === '/health' && (method === 'GET' || method === 'HEAD')) {
        return state
          ? {
              status: 200,
              headers: { 'Content-Type': ['application/json'] },
              body: Buffer.from('{"status":"ok"}'),
            }
          : gatewayResponses.starting();
      }
      if (!state) return gatewayResponses.starting();
      if (rawPath === '/openapi.json' && (method === 'GET' || method === 'HEAD')) {
        const doc = await openapiOf(state);
        if (doc === undefined) return gatewayResponses.notFound();
        return {
          status: 200,
          headers: { 'Content-Type': ['application/json'] },
          body: Buffer.from(JSON.stringify(doc)),
        };
      }

      const local = rawPath.startsWith('/local/')
        ? state.backend.platformRoutes?.find((r) => r.path === rawPath)
        : undefined;
      if (local) {
        if (method !== 'GET' && method !== 'HEAD')
          return gatewayResponses.missingAuthenticationToken(requestId);
        const { status, body } = await local.handle(new URLSearchParams(rawQuery));
        return {
          status,
          headers: { 'Content-Type': [status >= 400 ? 'application/problem+json' : 'application/json'] },
          body: Buffer.from(JSON.stringify(body)),
        };
      }

      // The API Gateway front door: payload size first, then routing, authorizer, integration.
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) return gatewayResponses.requestTooLarge(requestId, limit);
      const body = await readBody(req, limit);
      if (body === undefined) return gatewayResponses.requestTooLarge(requestId, limit);

      const match = state.table.match(method, rawPath);
      if (method === 'OPTIONS' && match.kind === 'resource') return gatewayResponses.preflight();
      if (match.kind !== 'route') return gatewayResponses.missingAuthenticationToken(requestId);
      const route = match.value;
      note = route.functionName;

      let claims: Record<string, string> | undefined;
      if (!('public' in route.auth)) {
        const auth = await state.backend.authorizer(headerValue(req, 'authorization'));
        if (!auth.ok) {
          note += ` (authorizer: ${auth.reason})`;
          return gatewayResponses.unauthorized(requestId, auth.message);
        }
        claims = auth.claims;
      }

      const headers = eventHeaders(req, port);
      const contentType = headerValue(req, 'content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      const binary = body.length > 0 && binaryTypes.some((t) => mediaTypeMatches(t, contentType));
      const event = buildProxyEvent({
        method,
        resource: match.resource,
        path: safeDecodePath(rawPath),
        pathParameters: match.pathParameters,
        query: parseQuery(rawQuery),
        headers,
        body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
        isBase64Encoded: binary,
        claims,
        sourceIp: normaliseIp(req.socket.remoteAddress),
        stage: opts.stage ?? 'local',
        requestId,
        domainName: headerValue(req, 'host'),
      });
      if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES)
        return gatewayResponses.requestTooLong(requestId);

      const result = await withTimeout(state.backend.invoke(route.functionName, event), integrationTimeoutMs);
      if (result === 'timeout') {
        note += ' (integration timeout)';
        return gatewayResponses.integrationTimeout(requestId);
      }
      if (result.coldStart) note += ' (cold start)';
      if (!result.ok) {
        note += ` (${result.error.errorType}: ${result.error.errorMessage})`;
        return gatewayResponses.badGateway(requestId);
      }
      const mapped = fromProxyResult(result.payload);
      if (!mapped.ok) {
        note += ` (Malformed Lambda proxy response: ${mapped.reason})`;
        return gatewayResponses.badGateway(requestId);
      }
      return mapped.answer;
    };

    let reply: HttpAnswer;
    try {
      reply = await answer();
    } catch (err) {
      note += ` (gateway error: ${err instanceof Error ? err.message : String(err)})`;
      reply = gatewayResponses.internalError(requestId);
    }
    if (res.headersSent || res.destroyed) return;
    res.statusCode = reply.status;
    for (const [name, values] of Object.entries(reply.headers))
      res.setHeader(name, values.length === 1 ? values[0]! : values);
    res.setHeader('x-amzn-RequestId', requestId);
    if (reply.status === 413) res.setHeader('Connection', 'close');
    res.end(method === 'HEAD' ? undefined : reply.body);
    const ms = (performance.now() - started).toFixed(0);
    if (rawPath === '/health') return; // polled by scripts: not worth a log line
    log?.(`${method} ${rawPath} ${reply.status} ${ms} ms${note ? ` ${note}` : ''}`);
  };

  const openapiOf = (s: NonNullable<typeof state>): Promise<unknown> => {
    // Built once; a failure (or no document yet) is retried on the next request.
    s.openapi ??= (s.backend.openapi?.() ?? Promise.resolve(undefined)).then((doc) => {
      if (doc === undefined) s.openapi = undefined;
      return doc;
    });
    return s.openapi.catch((err: unknown) => {
      s.openapi = undefined;
      throw err;
    });
  };

  // One bad request or result must never take the platform down: a failure while answering drops the
  // connection, logged, instead of becoming an unhandled rejection.
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log?.(
        `${req.method} ${req.url} dropped (gateway error: ${err instanceof Error ? err.message : String(err)})`,
      );
      res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  return {
    url,
    port,
    ready: setBackend,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Reads the body; undefined when it grows past `limit` (chunked uploads have no Content-Length). The rest
 * of an oversized body is drained, not read into memory, so the 413 can still be sent on the socket.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume();
      chunks.length = 0;
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/**
 * The last value of a header, as API Gateway puts it in the event's `headers`. Not `req.headers`: Node
 * keeps only the first Authorization, Content-Type or Host line, so the authorizer would check a token
 * other than the one the function reads.
 */
function headerValue(req: IncomingMessage, name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]!.toLowerCase() === name) value = req.rawHeaders[i + 1];
  return value;
}

/**
 * Request headers as API Gateway passes them: names in the case the client sent, every value kept, plus
 * the X-Forwarded-* and X-Amzn-Trace-Id headers API Gateway adds.
 */
function eventHeaders(req: IncomingMessage, port: number): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null);
  const names = new Map<string, string>();
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    const existing = names.get(lower);
    if (existing) headers[existing]!.push(value);
    else {
      names.set(lower, name);
      headers[name] = [value];
    }
  };
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) add(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const ip = normaliseIp(req.socket.remoteAddress);
  const forwarded = names.get('x-forwarded-for');
  if (forwarded) headers[forwarded] = [`${headers[forwarded]!.join(', ')}, ${ip}`];
  else add('X-Forwarded-For', ip);
  if (!names.has('x-forwarded-port')) add('X-Forwarded-Port', String(port));
  if (!names.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!names.has('x-amzn-trace-id')) add('X-Amzn-Trace-Id', traceId());
  return headers;
}

function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')}`;
}

/** Query string as API Gateway decodes it: every value per name, percent-decoded, '+' left as it is. */
export function parseQuery(raw: string): Record<string, string[]> {
  // No prototype: a parameter named __proto__, constructor or toString is a parameter like any other.
  const query: Record<string, string[]> = Object.create(null);
  if (!raw) return query;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    const value = eq >= 0 ? safeDecode(part.slice(eq + 1)) : '';
    (query[name] ??= []).push(value);
  }
  return query;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function safeDecodePath(path: string): string {
  return path
    .split('/')
    .map((s) => safeDecode(s))
    .join('/');
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function mediaTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*/*') return true;
  if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === type;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
