/**
 * Demo accounts for the local platform: one per role, all with the same password. Idempotent — running it
 * again (e.g. `npm start` on kept data) leaves each account confirmed, with the given password as its
 * permanent password, exactly its roles, and a profile. It goes through identity's own use case and
 * adapters (functions/identity), so local accounts look exactly like registered ones.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognitoIdentityProvider } from '../../functions/identity/adapters/cognito-identity-provider';
import { dynamoDbProfileRepository } from '../../functions/identity/adapters/dynamodb-profile-repository';
import {
  provisionAccount,
  type AccountSpec,
  type ProvisionedAccount,
} from '../../functions/identity/use-cases/provision-account';
import type { Role } from '../../functions/shared/http/route';

export interface DemoAccount extends AccountSpec {
  /** The role the account is for (what a banner shows next to it). */
  readonly role: Role;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'admin', email: 'admin@demo.zepto.local', name: 'Demo Admin', roles: ['admin', 'customer'] },
  { role: 'merchant', email: 'merchant@demo.zepto.local', name: 'Demo Merchant', roles: ['merchant'] },
  { role: 'store_staff', email: 'staff@demo.zepto.local', name: 'Demo Store Staff', roles: ['store_staff'] },
  {
    role: 'delivery_partner',
    email: 'rider@demo.zepto.local',
    name: 'Demo Rider',
    roles: ['delivery_partner'],
  },
  {
    role: 'customer',
    email: 'customer@demo.zepto.local',
    name: 'Demo Customer',
    phone: '+919876543210',
    roles: ['customer'],
  },
];

export interface SeedAccountsDeps {
  /** A client pointed at the user pool's endpoint (cognito-local locally). */
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Physical name of the Users table. */
  readonly usersTable: string;
  readonly documentClient: DynamoDBDocumentClient;
  /** Password for every account: ZEPTO_DEMO_PASSWORD, or the platform's default. Must meet the pool policy. */
  readonly password: string;
}

export async function seedAccounts(
  deps: SeedAccountsDeps,
  accounts: readonly AccountSpec[] = DEMO_ACCOUNTS,
): Promise<ProvisionedAccount[]> {
  const provisionDeps = {
    idp: cognitoIdentityProvider({
      client: deps.cognito,
      userPoolId: deps.userPoolId,
      clientId: deps.clientId,
    }),
    profiles: dynamoDbProfileRepository(deps.documentClient, deps.usersTable),
    now: () => new Date(),
  };
  const done: ProvisionedAccount[] = [];
  // One at a time: cognito-local keeps a pool in one JSON file and concurrent group updates can race.
  for (const account of accounts) done.push(await provisionAccount(provisionDeps, account, deps.password));
  return done;
}
