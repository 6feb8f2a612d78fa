/**
 * Wiring of the profile repository, apart from dependencies.ts so that the functions that only talk to
 * Cognito (confirm, refresh, logout, password recovery) carry no DynamoDB client in their bundle.
 */
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { dynamoDbProfileRepository } from './adapters/dynamodb-profile-repository';
import type { ProfileRepository } from './ports';

export function profileRepository(env: NodeJS.ProcessEnv = process.env): ProfileRepository {
  const { USERS_TABLE_NAME } = parseEnv({ USERS_TABLE_NAME: z.string().check(z.minLength(1)) }, env);
  return dynamoDbProfileRepository(documentClient, USERS_TABLE_NAME);
}
