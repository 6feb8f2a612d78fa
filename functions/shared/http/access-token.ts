/**
 * Verifies a Cognito access token as the API Gateway REST Cognito user pool authorizer does: RS256
 * signature against the user pool's keys, issuer, expiry and issue time, `token_use` access, our app
 * client in `client_id`, and the scope the API methods require. The local gateway's authorizer
 * (local/gateway/authorizer.ts) and the functions that identify an optional caller on public routes
 * (caller-token.ts) both use it, so a token is judged the same way everywhere.
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The scope every protected API method requires (Cognito puts it into access tokens). */
export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

export interface AccessTokenCheck {
  /** Token issuer, e.g. https://cognito-idp.<region>.amazonaws.com/<userPoolId>. */
  readonly issuer: string;
  /** The user pool's keys (jose `createRemoteJWKSet` or `createLocalJWKSet`). */
  readonly keys: JWTVerifyGetKey;
  /** The app client id an access token must carry in `client_id`. */
  readonly clientId: string;
}

export type AccessTokenResult =
  | { readonly ok: true; readonly claims: Record<string, string> }
  | { readonly ok: false; readonly message: AccessTokenFailure; readonly reason: string };

/** API Gateway's bodies for a refused token: `{"message": ...}` with status 401. */
export type AccessTokenFailure = 'Unauthorized' | 'The incoming token has expired';

/** Checks the token in an Authorization header value (raw or `Bearer <token>`). */
export async function verifyAccessToken(
  authorization: string | undefined,
  check: AccessTokenCheck,
): Promise<AccessTokenResult> {
  const refuse = (reason: string, message: AccessTokenFailure = 'Unauthorized'): AccessTokenResult => ({
    ok: false,
    message,
    reason,
  });
  const token = tokenFrom(authorization);
  if (!token) return refuse('no token in the Authorization header');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, check.keys, {
      issuer: check.issuer,
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
  if (payload.token_use !== 'access') return refuse(`token_use is ${String(payload.token_use)}, not access`);
  if (payload.client_id !== check.clientId) return refuse('token was issued to another app client');
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  if (!scopes.includes(ACCESS_TOKEN_SCOPE)) return refuse(`token lacks the ${ACCESS_TOKEN_SCOPE} scope`);
  if (typeof payload.sub !== 'string' || payload.sub === '') return refuse('token has no sub');
  return { ok: true, claims: claimsForApiGateway(payload) };
}

/** How far ahead of our clock a token's `iat` may be (clock skew between the pool and the gateway). */
const ISSUED_AT_SKEW_SECONDS = 60;

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
