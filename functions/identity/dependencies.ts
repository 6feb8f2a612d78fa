/**
 * The one place identity's adapters are wired. Each handler calls what it needs at module scope, so the
 * environment is parsed once per cold start and a missing variable fails the init phase.
 */
import { z } from 'zod';
import { cognitoClient } from '#shared/aws/cognito';
import { documentClient } from '#shared/aws/dynamodb';
import { booleanString, parseEnv } from '#shared/env';
import { cognitoIdentityProvider } from './adapters/cognito-identity-provider';
import { dynamoDbProfileRepository } from './adapters/dynamodb-profile-repository';
import type { Clock, IdentityProvider, ProfileRepository } from './ports';

const required = z.string().min(1);

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

export function profileRepository(env: NodeJS.ProcessEnv = process.env): ProfileRepository {
  const { USERS_TABLE_NAME } = parseEnv({ USERS_TABLE_NAME: required }, env);
  return dynamoDbProfileRepository(documentClient, USERS_TABLE_NAME);
}

export function autoConfirmSignUp(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseEnv({ AUTO_CONFIRM_SIGN_UP: booleanString }, env).AUTO_CONFIRM_SIGN_UP;
}

export const systemClock: Clock = () => new Date();
