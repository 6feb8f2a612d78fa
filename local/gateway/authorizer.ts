/**
 * The API Gateway REST Cognito user pool authorizer, locally: reads the token from the Authorization
 * header (raw, as API Gateway expects, or with a `Bearer ` prefix) and verifies it with
 * `verifyAccessToken` (functions/shared/http/access-token.ts: signature against the user pool's JWKS,
 * issuer, expiry and issue time, an access token of our app client with the API scope). The verified
 * claims are handed to the function the way API Gateway renders them: every value a string.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import {
  verifyAccessToken,
  type AccessTokenFailure,
  type AccessTokenResult,
} from '../../functions/shared/http/access-token';

export { claimsForApiGateway, javaDate, tokenFrom } from '../../functions/shared/http/access-token';

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

export type AuthorizerResult = AccessTokenResult;
export type AuthorizerFailure = AccessTokenFailure;
export type Authorizer = (authorization: string | undefined) => Promise<AuthorizerResult>;

export function createCognitoAuthorizer(config: AuthorizerConfig): Authorizer {
  const keys: JWTVerifyGetKey | undefined =
    config.keys ??
    (config.jwksUrl
      ? createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
      : undefined);
  if (!keys) throw new Error('createCognitoAuthorizer needs jwksUrl or keys');
  return (authorization) =>
    verifyAccessToken(authorization, { issuer: config.issuer, keys, clientId: config.clientId });
}
