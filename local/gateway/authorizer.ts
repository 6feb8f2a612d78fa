/**
 * The API Gateway REST Cognito user pool authorizer, locally: reads the token from the Authorization
 * header (raw, as API Gateway expects, or with a `Bearer ` prefix), verifies its RS256 signature against
 * the user pool's JWKS, its issuer, expiry and issue time, and that it is an access token of our app
 * client carrying the scope the API methods require (ACCESS_TOKEN_SCOPE). The verified claims are handed
 * to the function the way API Gateway renders them: every value a string.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_SCOPE } from '../../lib/app/gateway';

export interface AuthorizerConfig {
  /** Token issuer, e.g. http://127.0.0.1:PORT/<userPoolId>. */
  readonly issuer: string;
  /** The user pool's JWKS (ignored when `keys` is given). */
  readonly jwksUrl?: string;
  /** Key resolver, for tests with a local key set (jose `createLocalJWKSet`). */
  readonly keys?: JWTVerifyGetKey;
  /** The app client id an access token must carry in `client_id`. */
  readonly clientId: string;
}

export type AuthorizerResult =
  | { readonly ok: true; readonly claims: Record<string, string> }
  | { readonly ok: false; readonly message: AuthorizerFailure; readonly reason: string };

/** API Gateway's bodies for a refused token: `{"message": ...}` with status 401. */
export type AuthorizerFailure = 'Unauthorized' | 'The incoming token has expired';

export type Authorizer = (authorization: string | undefined) => Promise<AuthorizerResult>;

/** How far ahead of our clock a token's `iat` may be (clock skew between the pool and the gateway). */
const ISSUED_AT_SKEW_SECONDS = 60;

export function createCognitoAuthorizer(config: AuthorizerConfig): Authorizer {
  const keys: JWTVerifyGetKey | undefined =
    config.keys ??
    (config.jwksUrl
      ? createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
      : undefined);
  if (!keys) throw new Error('createCognitoAuthorizer needs jwksUrl or keys');
  const refuse = (reason: string, message: AuthorizerFailure = 'Unauthorized'): AuthorizerResult => ({
    ok: false,
    message,
    reason,
  });

  return async (authorization) => {
    const token = tokenFrom(authorization);
    if (!token) return refuse('no token in the Authorization header');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        algorithms: ['RS256'],
        // Cognito stamps both; without exp a token would never expire.
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return refuse('token expired', 'The incoming token has expired');
      return refuse(err instanceof Error ? `${err.name}: ${err.message}` : 'invalid token');
    }
    // jose checks nbf, but not an iat in the future: a token issued later than now is not valid yet.
    if ((payload.iat ?? 0) > Date.now() / 1000 + ISSUED_AT_SKEW_SECONDS)
      return refuse('token issued in the future (iat)');
    if (payload.token_use !== 'access')
      return refuse(`token_use is ${String(payload.token_use)}, not access`);
    if (payload.client_id !== config.clientId) return refuse('token was issued to another app client');
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(ACCESS_TOKEN_SCOPE)) return refuse(`token lacks the ${ACCESS_TOKEN_SCOPE} scope`);
    if (typeof payload.sub !== 'string' || payload.sub === '') return refuse('token has no sub');
    return { ok: true, claims: claimsForApiGateway(payload) };
  };
}

/** The token in an Authorization header: the raw value, or what follows `Bearer `. */
export function tokenFrom(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (bearer) return bearer[1];
  return /\s/.test(value) ? undefined : value;
}

/**
 * Claims as the REST API Cognito authorizer passes them in `requestContext.authorizer.claims`: strings only.
 * `exp` and `iat` become Java-style dates ("Thu Nov 27 13:36:00 UTC 2025"), `auth_time` stays a number in a
 * string, and a list such as `cognito:groups` is comma-joined.
 */
export function claimsForApiGateway(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `java.util.Date#toString()` in UTC, for epoch seconds. */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}
