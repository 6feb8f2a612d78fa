/**
 * Identifies the caller of a public route that says `identifiesCaller` (route contract): API Gateway runs
 * no authorizer there, so the function checks a presented access token itself, exactly as the gateway's
 * Cognito authorizer would (access-token.ts), against the user pool's public keys handed to it at deploy
 * (CALLER_TOKEN_JWKS; functions in the cache VPC cannot fetch them). Loaded only when a token comes
 * along: anonymous requests never pay for jose. ADR 12.
 */
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import * as z from 'zod/mini';
import { parseEnv } from '../env';
import { UnauthorizedError } from '../errors';
import { verifyAccessToken } from './access-token';
import { callerFromClaims, type Caller } from './identity';

const env = parseEnv({
  CALLER_TOKEN_ISSUER: z.string().check(z.minLength(1)),
  CALLER_TOKEN_JWKS: z.string().check(z.minLength(2)),
  CALLER_TOKEN_CLIENT_ID: z.string().check(z.minLength(1)),
});
const keys = createLocalJWKSet(JSON.parse(env.CALLER_TOKEN_JWKS) as JSONWebKeySet);

/** The caller of a verified token; a token that is presented but not valid is a 401, never anonymous. */
export async function callerFromToken(authorization: string): Promise<Caller> {
  const result = await verifyAccessToken(authorization, {
    issuer: env.CALLER_TOKEN_ISSUER,
    keys,
    clientId: env.CALLER_TOKEN_CLIENT_ID,
  });
  if (!result.ok)
    throw new UnauthorizedError(
      result.message === 'The incoming token has expired'
        ? 'The access token has expired: refresh it, or call without one.'
        : 'The access token is not valid: send a valid one, or none.',
    );
  const caller = callerFromClaims(result.claims);
  if (!caller) throw new UnauthorizedError('The access token is not valid: send a valid one, or none.');
  return caller;
}
