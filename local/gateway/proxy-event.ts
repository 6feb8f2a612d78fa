import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyEventInput {
  readonly method: string;
  /** The route template, e.g. /v1/products/{productId}. */
  readonly resource: string;
  /** The concrete path, e.g. /v1/products/01J.... */
  readonly path: string;
  readonly pathParameters?: Record<string, string>;
  /** Query parameters as API Gateway sees them: every value of each name. */
  readonly query?: Record<string, string[]>;
  /** Header names as sent; API Gateway keeps their case. */
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  /** Verified token claims, stringified as the Cognito authorizer does. */
  readonly claims?: Record<string, string>;
  readonly sourceIp?: string;
  readonly stage?: string;
  /** API Gateway's request id (also sent back as x-amzn-RequestId); a new UUID when omitted. */
  readonly requestId?: string;
  /** The Host the client called, e.g. 127.0.0.1:3000. */
  readonly domainName?: string;
  /** When the request arrived; default now. */
  readonly requestTime?: Date;
}

/** The REST API (v1) Lambda proxy event API Gateway would send for one request. */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  // No prototype: a header named __proto__ is kept like any other, not swallowed as a prototype.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    multiValueHeaders[name] = values;
    headers[name] = values[values.length - 1] ?? '';
  }
  const query = input.query ?? {};
  const hasQuery = Object.keys(query).length > 0;
  const hasPath = input.pathParameters && Object.keys(input.pathParameters).length > 0;
  const requestId = input.requestId ?? randomUUID();
  const now = input.requestTime ?? new Date();
  return {
    resource: input.resource,
    path: input.path,
    httpMethod: input.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1] ?? '']))
      : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: hasPath ? (input.pathParameters ?? null) : null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(input.domainName
        ? { domainName: input.domainName, domainPrefix: input.domainName.split(/[.:]/)[0] }
        : {}),
      extendedRequestId: requestId,
      requestTime: clfDate(now),
      authorizer: input.claims ? { claims: input.claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: input.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: headers['user-agent'] ?? headers['User-Agent'] ?? null,
        userArn: null,
      },
      path: `/${input.stage ?? 'local'}${input.path}`,
      stage: input.stage ?? 'local',
      requestId,
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: input.resource,
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.requestTime` format: 27/Nov/2025:13:36:00 +0000. */
function clfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
