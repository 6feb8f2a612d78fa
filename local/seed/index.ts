/**
 * Demo data for the local platform: one account per role (accounts.ts) and a grocery catalogue
 * (catalog.ts), seeded at the same time (they live in different engines). Both are idempotent: accounts are
 * reconciled on every start (cheap), and the catalogue seeder keeps a marker in its table, so a warm
 * restart with the same product count writes nothing.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClients } from '../engines/clients';
import type { LocalResources } from '../engines/types';
import { DEMO_ACCOUNTS, seedAccounts } from './accounts';
import { seedCatalog } from './catalog';

export { DEMO_ACCOUNTS } from './accounts';

export interface SeedOptions {
  readonly resources: LocalResources;
  readonly products: number;
  readonly demoPassword: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  readonly accounts: readonly { readonly email: string; readonly role: string }[];
  readonly products: number;
  readonly categories: number;
  /** The catalogue was already there from an earlier run. */
  readonly catalogSkipped: boolean;
  /** Seed products left out because an admin took their slug or SKU or deleted their category. */
  readonly catalogConflicts: number;
  readonly accountsMs: number;
  readonly catalogMs: number;
}

export async function seedPlatform(opts: SeedOptions): Promise<SeedSummary> {
  const { resources } = opts;
  const usersTable = required(resources.tableNames.Users, 'Users table');
  const catalogTable = required(resources.tableNames.Catalog, 'Catalog table');
  const clients = localClients(resources.endpoints);
  const { dynamodb, cognito } = clients;
  const documentClient = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const accountsStarted = performance.now();
    const accountsPromise = seedAccounts({
      cognito,
      userPoolId: resources.userPool.id,
      clientId: resources.userPool.clientId,
      usersTable,
      documentClient,
      password: opts.demoPassword,
    }).then(() => performance.now() - accountsStarted);

    const catalogStarted = performance.now();
    const catalogPromise = seedCatalog({
      documentClient,
      tableName: catalogTable,
      products: opts.products,
      onProgress: opts.onProgress,
    }).then((result) => ({ result, ms: performance.now() - catalogStarted }));

    const [accountsMs, catalog] = await Promise.all([accountsPromise, catalogPromise]);
    return {
      accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, role: a.role })),
      products: catalog.result.products,
      categories: catalog.result.categories,
      catalogSkipped: catalog.result.skipped,
      catalogConflicts: catalog.result.conflicts,
      accountsMs: Math.round(accountsMs),
      catalogMs: Math.round(catalog.ms),
    };
  } finally {
    dynamodb.destroy();
    cognito.destroy();
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`Seeding needs the ${what}, which the app definition does not declare`);
  return value;
}
