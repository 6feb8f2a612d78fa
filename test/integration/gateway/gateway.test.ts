/**
 * The local gateway and Lambda runner in front of a tiny fixture function (fixtures/echo.ts), bundled and
 * run exactly as the platform runs the real handlers: the proxy event a function receives, its isolated
 * environment, the authorizer, API Gateway's own answers (unknown route, payload limits, timeouts) and the
 * Lambda semantics of the runner (one invocation per environment, a fresh environment after a timeout).
 */
import { stageSettings } from '../../../lib/app/settings';
import { getStageConfig } from '../../../lib/config/stages';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHttpFunction, type FunctionDef, type HttpTrigger } from '../../../lib/app/types';
import type { LocalResources } from '../../../local/engines/types';
import { createCognitoAuthorizer } from '../../../local/gateway/authorizer';
import { MAX_REQUEST_BYTES, startGateway, type Gateway } from '../../../local/gateway/server';
import { bundle } from '../../../local/runtime/bundle';
import { lambdaEnvironment } from '../../../local/runtime/environment';
import { LambdaRunner } from '../../../local/runtime/runner';

const ENTRY = 'test/integration/gateway/fixtures/echo.ts';
const CLIENT_ID = 'fixture-client';

const fn = (name: string, route: HttpTrigger['route'], extra: Partial<FunctionDef> = {}): FunctionDef => ({
  name,
  service: 'fixture',
  entry: ENTRY,
  description: `fixture ${name}`,
  trigger: { kind: 'http', route },
  ...extra,
});
const route = (method: 'GET' | 'POST', path: string, auth: HttpTrigger['route']['auth']) => ({
  method,
  path,
  auth,
  summary: path,
  tags: ['fixture'],
  success: { status: 200 as const, description: 'ok' },
});

const functions: FunctionDef[] = [
  fn('EchoPublic', route('GET', '/v1/echo/{itemId}', { public: true }), {
    tables: { Users: 'read' },
    timeoutSeconds: 1,
    memoryMb: 256,
  }),
  fn('EchoPost', route('POST', '/v1/echo', { public: true }), { tables: { Catalog: 'readWrite' } }),
  fn('EchoPrivate', route('GET', '/v1/private', { roles: ['customer'] })),
  fn('EchoSlow', route('GET', '/v1/slow', { public: true }), { timeoutSeconds: 5 }),
];

let buildDir: string;
let gateway: Gateway;
let runner: LambdaRunner;
let jwks: Server;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let issuer: string;

beforeAll(async () => {
  process.env.ZEPTO_PARENT_ONLY_SECRET = 'the parent process has this, functions must not';

  const keys = await generateKeyPair('RS256');
  signingKey = keys.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) =>
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksPort = (jwks.address() as AddressInfo).port;
  issuer = `http://127.0.0.1:${jwksPort}/local_pool`;

  const resources: LocalResources = {
    stage: 'local',
    tableNames: { Users: 'zepto-local-Users', Catalog: 'zepto-local-Catalog' },
    bucketNames: {},
    queueUrls: {},
    deadLetterQueueUrls: {},
    userPool: { id: 'local_pool', clientId: CLIENT_ID },
    autoConfirmSignUp: true,
    logLevel: 'INFO',
    settings: stageSettings(getStageConfig('local')),
    endpoints: {
      dynamodb: 'http://127.0.0.1:1',
      cognito: 'http://127.0.0.1:2',
      s3: 'http://127.0.0.1:3',
      sqs: 'http://127.0.0.1:4',
      search: 'http://127.0.0.1:5',
    },
    issuer,
    jwksUrl: `http://127.0.0.1:${jwksPort}/local_pool/.well-known/jwks.json`,
    callerTokens: { issuer, jwks: '{"keys":[]}' },
  };

  buildDir = await mkdtemp(join(tmpdir(), 'zepto-gateway-test-'));
  const { files: bundles } = await bundle(functions, { outDir: buildDir });
  runner = new LambdaRunner(
    functions.map((f) => ({
      name: f.name,
      bundle: bundles.get(f.name)!,
      env: lambdaEnvironment(f, resources),
      timeoutSeconds: f.timeoutSeconds,
      memoryMb: f.memoryMb,
    })),
    { logs: 'silent', concurrency: 2 },
  );
  gateway = await startGateway(
    { port: 0, quiet: true, integrationTimeoutMs: 2000 },
    {
      routes: functions.filter(isHttpFunction).map((f) => ({
        method: f.trigger.route.method,
        path: f.trigger.route.path,
        auth: f.trigger.route.auth,
        functionName: f.name,
      })),
      invoke: (name, event) => runner.invoke(name, event),
      authorizer: createCognitoAuthorizer({ issuer, jwksUrl: resources.jwksUrl, clientId: CLIENT_ID }),
      platformRoutes: [
        {
          path: '/local/fixture',
          handle: async (query) =>
            query.get('fail')
              ? Promise.reject(new Error('stand-in broke'))
              : { status: query.get('id') ? 200 : 400, body: { id: query.get('id') } },
        },
      ],
    },
  );
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await runner?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
  delete process.env.ZEPTO_PARENT_ONLY_SECRET;
});

interface Echo {
  event: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  env: Record<string, string>;
  context: { functionName: string; memoryLimitInMB: string; awsRequestId: string; remaining: number };
  invocations: number;
  maxInFlight: number;
  loadedAt: number;
  environmentId: string;
}

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${gateway.url}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * One HTTP/1.1 request written to the socket as given (fetch merges or drops some headers), answered by
 * status line and body; the connection closes after it.
 */
function rawRequest(requestLine: string, headers: string[] = []): Promise<{ status: number; body: string }> {
  const { port } = gateway;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.split(' ')[1]), body: split >= 0 ? text.slice(split + 4) : '' });
    });
    socket.write(
      [`${requestLine} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n'),
    );
  });
}

async function echo(path: string, init: RequestInit = {}): Promise<Echo> {
  const res = await call(path, init);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Echo;
}

/** A gateway response as the deployed API renders it (lib/stacks/api-stack.ts): problem+json. */
function expectGatewayProblem(
  res: { status: number; headers: Headers; text: string },
  status: number,
  title: string,
  detail: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(JSON.parse(res.text)).toMatchObject({ type: 'about:blank', title, detail });
  expect(JSON.parse(res.text).requestId).toBe(res.headers.get('x-amzn-requestid'));
}

function token(
  opts: { key?: CryptoKey; exp?: number; claims?: Record<string, unknown> } = {},
): Promise<string> {
  return new SignJWT({
    sub: 'sub-1',
    username: 'sub-1',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': ['customer'],
    ...opts.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(opts.key ?? signingKey);
}

describe('the proxy event', () => {
  it('carries the route template, path, parameters, query and headers as API Gateway sends them', async () => {
    const { event } = await echo('/v1/echo/a%20b?limit=10&tag=x&tag=y', {
      headers: { 'X-Custom-Thing': 'v' },
    });
    expect(event).toMatchObject({
      resource: '/v1/echo/{itemId}',
      path: '/v1/echo/a b',
      httpMethod: 'GET',
      pathParameters: { itemId: 'a b' },
      queryStringParameters: { limit: '10', tag: 'y' },
      multiValueQueryStringParameters: { limit: ['10'], tag: ['x', 'y'] },
      body: null,
      isBase64Encoded: false,
      stageVariables: null,
    });
    expect(event.headers['X-Custom-Thing'] ?? event.headers['x-custom-thing']).toBe('v');
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.requestContext).toMatchObject({
      resourcePath: '/v1/echo/{itemId}',
      httpMethod: 'GET',
      stage: 'local',
      authorizer: null,
      identity: { sourceIp: '127.0.0.1' },
    });
  });

  it('passes query names and headers named like Object.prototype properties through, not a 500', async () => {
    // Raw, because fetch drops a header named __proto__.
    const res = await rawRequest('GET /v1/echo/x?__proto__=a&constructor=b&toString=c', [
      '__proto__: h',
      'constructor: k',
    ]);
    expect(res.status).toBe(200);
    const { event } = JSON.parse(res.body) as Echo;
    expect(Object.entries(event.queryStringParameters)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
    ]);
    expect(Object.entries(event.multiValueHeaders)).toEqual(
      expect.arrayContaining([
        ['__proto__', ['h']],
        ['constructor', ['k']],
      ]),
    );
    expect(Object.entries(event.headers)).toEqual(expect.arrayContaining([['__proto__', 'h']]));
  });

  it('uses the request id it returns in x-amzn-RequestId', async () => {
    const res = await call('/v1/echo/x');
    const { event } = JSON.parse(res.text) as Echo;
    expect(res.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
  });

  it('passes a POST body as a string', async () => {
    const { event } = await echo('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false, pathParameters: null });
  });

  it('returns the function result: status, headers and multi-value headers', async () => {
    const res = await fetch(`${gateway.url}/v1/echo/x?status=201`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-fixture')).toBe('echo');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('gives the handler a Lambda context', async () => {
    const { context } = await echo('/v1/echo/x');
    expect(context.functionName).toBe('zepto-local-EchoPublic');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(1000);
  });
});

describe('environment isolation', () => {
  it('gives a function its own variables and none of the parent process', async () => {
    expect(process.env.ZEPTO_PARENT_ONLY_SECRET).toBeDefined();
    const { env } = await echo('/v1/echo/x');
    expect(env.ZEPTO_PARENT_ONLY_SECRET).toBeUndefined();
    expect(env.PATH).toBeUndefined();
    expect(env.HOME).toBeUndefined();
    expect(env).toMatchObject({
      USERS_TABLE_NAME: 'zepto-local-Users',
      AWS_LAMBDA_FUNCTION_NAME: 'zepto-local-EchoPublic',
      AWS_REGION: 'ap-south-1',
      POWERTOOLS_SERVICE_NAME: 'fixture',
    });
  });

  it("does not let a function see another function's table names", async () => {
    const publicEnv = (await echo('/v1/echo/x')).env;
    const postEnv = (await echo('/v1/echo', { method: 'POST' })).env;
    expect(publicEnv.CATALOG_TABLE_NAME).toBeUndefined();
    expect(postEnv.CATALOG_TABLE_NAME).toBe('zepto-local-Catalog');
    expect(postEnv.USERS_TABLE_NAME).toBeUndefined();
  });
});

describe('the authorizer', () => {
  it('refuses a request without a token with 401 Unauthorized', async () => {
    expectGatewayProblem(await call('/v1/private'), 401, 'Unauthorized', 'Unauthorized');
  });

  it('lets a valid access token through and passes its claims as strings', async () => {
    const { event } = await echo('/v1/private', { headers: { authorization: `Bearer ${await token()}` } });
    expect(event.requestContext.authorizer.claims).toMatchObject({
      sub: 'sub-1',
      'cognito:groups': 'customer',
      token_use: 'access',
    });
  });

  it('refuses a forged token and answers an expired one with the expiry message', async () => {
    const forged = await call('/v1/private', {
      headers: { authorization: `Bearer ${await token({ key: otherKey })}` },
    });
    expectGatewayProblem(forged, 401, 'Unauthorized', 'Unauthorized');
    const expired = await call('/v1/private', {
      headers: { authorization: await token({ exp: Math.floor(Date.now() / 1000) - 10 }) },
    });
    expectGatewayProblem(expired, 401, 'Unauthorized', 'The incoming token has expired');
  });

  it('checks the Authorization header the function is given when it is sent twice (the last)', async () => {
    const valid = `Authorization: Bearer ${await token()}`;
    const forged = `Authorization: Bearer ${await token({ key: otherKey, claims: { sub: 'sub-2' } })}`;

    const validThenForged = await rawRequest('GET /v1/private', [valid, forged]);
    const forgedThenValid = await rawRequest('GET /v1/private', [forged, valid]);

    expect(validThenForged.status).toBe(401);
    expect(forgedThenValid.status).toBe(200);
    const { event } = JSON.parse(forgedThenValid.body) as Echo;
    expect(event.headers.Authorization).toBe(valid.slice('Authorization: '.length));
    expect(event.requestContext.authorizer.claims.sub).toBe('sub-1');
  });

  it('does not run on public routes: no claims even with a token', async () => {
    const { event } = await echo('/v1/echo/x', { headers: { authorization: `Bearer ${await token()}` } });
    expect(event.requestContext.authorizer).toBeNull();
  });
});

describe("API Gateway's own answers", () => {
  it('answers an unknown path with Missing Authentication Token, as a 404 like the deployed API', async () => {
    const res = await call('/v1/nope');
    expectGatewayProblem(res, 404, 'Not Found', 'Missing Authentication Token');
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('answers a known path with an unknown method the same way (REST APIs have no 405)', async () => {
    expectGatewayProblem(
      await call('/v1/echo/x', { method: 'DELETE' }),
      404,
      'Not Found',
      'Missing Authentication Token',
    );
  });

  it('answers a CORS preflight on a known resource, and on a route prefix, without authentication', async () => {
    expect((await call('/v1', { method: 'OPTIONS' })).status).toBe(204);
    const res = await call('/v1/private', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD');
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,Authorization,Idempotency-Key',
    );
  });

  it('refuses a body over 10 MB with 413 before calling the function', async () => {
    const res = await call('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 'a'),
    });
    expectGatewayProblem(
      res,
      413,
      'Content Too Large',
      `HTTP content length exceeded ${MAX_REQUEST_BYTES} bytes.`,
    );
  });

  it("refuses a body over Lambda's 6 MB invocation limit with 413 Request Too Long", async () => {
    const res = await call('/v1/echo', { method: 'POST', body: Buffer.alloc(7 * 1024 * 1024, 'a') });
    expectGatewayProblem(res, 413, 'Content Too Large', 'Request Too Long');
  });

  it('answers a function error with 502 Internal server error', async () => {
    expectGatewayProblem(await call('/v1/echo/x?throw=1'), 502, 'Server Error', 'Internal server error');
  });

  it('answers a malformed proxy result with 502', async () => {
    expect((await call('/v1/echo/x?malformed=1')).status).toBe(502);
  });

  it('answers a result with a header Node cannot send with 502, and keeps serving', async () => {
    expectGatewayProblem(await call('/v1/echo/x?badheader=1'), 502, 'Server Error', 'Internal server error');
    expect((await call('/v1/echo/x')).status).toBe(200);
  });

  it('answers /health and has no OpenAPI document without one', async () => {
    const health = await call('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    expect((await call('/openapi.json')).status).toBe(404);
  });

  it("answers the backend's local-only GET routes as JSON without the authorizer, and nothing else under /local/", async () => {
    const ok = await call('/local/fixture?id=p1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(ok.text)).toEqual({ id: 'p1' });
    const bad = await call('/local/fixture');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect((await call('/local/fixture?fail=1')).status).toBe(500);
    expect((await call('/local/fixture', { method: 'POST' })).status).toBe(404);
    expect((await call('/local/other')).status).toBe(404);
  });
});

describe('Lambda semantics of the runner', () => {
  it('stops a function at its timeout with a 502 and starts a fresh environment for the next request', async () => {
    const before = await echo('/v1/echo/x');
    const timedOut = await call('/v1/echo/x?sleep=3000');
    expectGatewayProblem(timedOut, 502, 'Server Error', 'Internal server error');
    const after = await echo('/v1/echo/x');
    expect(after.invocations).toBe(1);
    expect(after.environmentId).not.toBe(before.environmentId);
  });

  it('answers 504 when the integration outlasts the gateway timeout', async () => {
    expectGatewayProblem(
      await call('/v1/slow?sleep=3000'),
      504,
      'Gateway Timeout',
      'Endpoint request timed out',
    );
  });

  it('recovers from a function that exits its process', async () => {
    expect((await call('/v1/echo/x?exit=1')).status).toBe(502);
    expect((await call('/v1/echo/x')).status).toBe(200);
  });

  it('runs one invocation per environment at a time, and no more environments than the concurrency', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => echo('/v1/echo?sleep=200', { method: 'POST' })),
    );
    // With concurrency 2 the six overlapping requests share two environments (module scopes)...
    expect(new Set(results.map((r) => r.environmentId)).size).toBe(2);
    // ...and no environment ever ran two invocations at once.
    expect(results.map((r) => r.maxInFlight)).toEqual([1, 1, 1, 1, 1, 1]);
    const stats = runner.stats().find((s) => s.name === 'EchoPost')!;
    expect(stats.environments).toBeLessThanOrEqual(2);
    expect(stats.busy).toBe(0);
  });
});
