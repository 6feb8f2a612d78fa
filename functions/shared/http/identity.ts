import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ROLES, type Role } from './route';

/** The authenticated caller, as the API Gateway Cognito authorizer described them. */
export interface Caller {
  /** Cognito `sub`: the stable user id used across the platform. */
  readonly userId: string;
  /** Cognito username (with email sign-in, a UUID), needed by Cognito admin calls. */
  readonly username: string;
  readonly roles: readonly Role[];
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/**
 * API Gateway hands the verified claims over as strings; a multi-valued claim such as `cognito:groups`
 * arrives as "a,b" (REST API) or "[a b]" (HTTP API), and as an array from some test tools.
 */
export function parseGroups(raw: unknown): Role[] {
  const values = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return [...new Set(values.filter(isRole))];
}

export function callerFromEvent(event: APIGatewayProxyEvent): Caller | undefined {
  return callerFromClaims(event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined);
}

/** The caller the verified claims of an access token describe (none without a `sub`). */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller | undefined {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const username = typeof claims?.username === 'string' && claims.username !== '' ? claims.username : sub;
  return { userId: sub, username, roles: parseGroups(claims?.['cognito:groups']) };
}
