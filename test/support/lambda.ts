import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { buildProxyEvent } from '../../local/gateway/proxy-event';
import type { Role } from '../../functions/shared/http/route';

export function lambdaContext(name = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-south-1:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface TestRequest {
  method?: string;
  resource?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  /** Authenticated caller: claims as the Cognito authorizer passes them. */
  as?: { userId: string; roles: Role[]; username?: string };
}

export function apiEvent(req: TestRequest): APIGatewayProxyEvent {
  const body =
    req.body === undefined ? null : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  return buildProxyEvent({
    method: req.method ?? 'GET',
    resource: req.resource ?? req.path ?? '/',
    path: req.path ?? '/',
    pathParameters: req.pathParameters,
    query: req.query ? Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, [v]])) : undefined,
    headers: { ...(body !== null ? { 'Content-Type': 'application/json' } : {}), ...req.headers },
    body,
    claims: req.as
      ? {
          sub: req.as.userId,
          username: req.as.username ?? req.as.userId,
          'cognito:groups': req.as.roles.join(','),
          token_use: 'access',
        }
      : undefined,
  });
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Invokes a handler with a proxy event and parses its JSON body. */
export async function invoke(handler: Handler, req: TestRequest): Promise<TestResponse> {
  const result = await handler(apiEvent(req), lambdaContext());
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return { status: result.statusCode, headers, body: result.body ? JSON.parse(result.body) : undefined };
}
