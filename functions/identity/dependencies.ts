/**
 * Where identity's Cognito adapter is wired (the profile repository is in profile-dependencies.ts). Each
 * handler calls what it needs at module scope, so the environment is parsed once per cold start and a
 * missing variable fails the init phase.
 */
import * as z from 'zod/mini';
import { cognitoClient } from '#shared/aws/cognito';
import { booleanString, parseEnv } from '#shared/env';
import { cognitoIdentityProvider } from './adapters/cognito-identity-provider';
import type { Clock, IdentityProvider } from './ports';

const required = z.string().check(z.minLength(1));

export function identityProvider(env: NodeJS.ProcessEnv = process.env): IdentityProvider {
  const { USER_POOL_ID, USER_POOL_CLIENT_ID } = parseEnv(
    { USER_POOL_ID: required, USER_POOL_CLIENT_ID: required },
    env,
  );
  return cognitoIdentityProvider({
    client: cognitoClient,
    userPoolId: USER_POOL_ID,
    clientId: USER_POOL_CLIENT_ID,
  });
}

export function autoConfirmSignUp(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseEnv({ AUTO_CONFIRM_SIGN_UP: booleanString() }, env).AUTO_CONFIRM_SIGN_UP;
}

export const systemClock: Clock = () => new Date();
