/**
 * What the API Gateway in front of the functions adds to routing: the access-token scope, CORS, and the
 * errors it answers itself, rendered as RFC 9457 problem documents. Plain values: the API stack
 * (lib/stacks/api-stack.ts) deploys them, and the local gateway (local/gateway) answers with the same ones
 * without loading aws-cdk-lib.
 */
import { CORS_ALLOW_HEADERS } from '../../functions/shared/http/cors';
import { PROBLEM_CONTENT_TYPE } from '../../functions/shared/http/problem';

/**
 * API Gateway's Cognito authorizer validates an ID token when a method lists no OAuth scopes, and an
 * ACCESS token when it does. Access tokens issued through InitiateAuth (USER_PASSWORD_AUTH, SRP, refresh)
 * always carry this scope, so every protected method requires it: clients send the access token.
 */
export { ACCESS_TOKEN_SCOPE } from '../../functions/shared/http/access-token';

/** What the CORS preflight of every resource allows (CDK's `Cors.ALL_METHODS`), and for how long. */
export const CORS_ALLOW_METHODS = ['OPTIONS', 'GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD'] as const;
export const CORS_MAX_AGE_SECONDS = 3600;

export interface GatewayProblem {
  /** Without one, the answer keeps API Gateway's own status code (and the body has no `status`). */
  readonly status?: number;
  readonly title: string;
}

/** The errors API Gateway answers itself, by response type (CDK `ResponseType` names). */
export const GATEWAY_PROBLEMS = {
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, title: 'Forbidden' },
  WAF_FILTERED: { status: 403, title: 'Forbidden' },
  // API Gateway answers an unknown route with "Missing Authentication Token"; it is a 404.
  MISSING_AUTHENTICATION_TOKEN: { status: 404, title: 'Not Found' },
  REQUEST_TOO_LARGE: { status: 413, title: 'Content Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type' },
  THROTTLED: { status: 429, title: 'Too Many Requests' },
  INTEGRATION_TIMEOUT: { status: 504, title: 'Gateway Timeout' },
  // Other statuses keep API Gateway's own code; the title stays neutral.
  DEFAULT_4XX: { title: 'Client Error' },
  DEFAULT_5XX: { title: 'Server Error' },
} as const satisfies Record<string, GatewayProblem>;

/** The headers of every gateway problem answer. */
export const gatewayProblemHeaders = (allowOrigin: string): Record<string, string> => ({
  'Content-Type': PROBLEM_CONTENT_TYPE,
  'Access-Control-Allow-Origin': allowOrigin,
  'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(','),
});

/**
 * The body of a gateway problem as an API Gateway mapping template. API Gateway fills in
 * `$context.error.messageString` (its own message, already a quoted JSON string, e.g. "Missing
 * Authentication Token") and `$context.requestId`.
 */
export function gatewayProblemTemplate(problem: GatewayProblem): string {
  const status = problem.status === undefined ? '' : `"status":${problem.status},`;
  return `{"type":"about:blank","title":"${problem.title}",${status}"detail":$context.error.messageString,"requestId":"$context.requestId"}`;
}
