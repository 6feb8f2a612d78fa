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
import { seedStock, seedStores, type SeededStore } from './stores';

export { DEMO_ACCOUNTS } from './accounts';
export type { SeededStore } from './stores';

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
  /** The demo dark stores (as they are now: an admin may have changed them). */
  readonly stores: readonly SeededStore[];
  /** Stock lines of the seed (stores × products), and whether they were already there. */
  readonly stockLines: number;
  readonly stockSkipped: boolean;
  readonly accountsMs: number;
  readonly catalogMs: number;
  readonly storesMs: number;
}

export async function seedPlatform(opts: SeedOptions): Promise<SeedSummary> {
  const { resources } = opts;
  const usersTable = required(resources.tableNames.Users, 'Users table');
  const catalogTable = required(resources.tableNames.Catalog, 'Catalog table');
  const storesTable = required(resources.tableNames.Stores, 'Stores table');
  const inventoryTable = required(resources.tableNames.Inventory, 'Inventory table');
  const clients = localClients(resources.endpoints);
  const { dynamodb, cognito } = clients;
  const documentClient = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const accountsStarted = performance.now();
    const accountsDone = seedAccounts({
      cognito,
      userPoolId: resources.userPool.id,
      clientId: resources.userPool.clientId,
      usersTable,
      documentClient,
      password: opts.demoPassword,
    });
    const accountsPromise = accountsDone.then(() => performance.now() - accountsStarted);

    // Stores need the demo merchant's, staff's and rider's user ids; their stock only the seed's ids.
    const storesStarted = performance.now();
    const storesPromise = accountsDone.then((accounts) => {
      const idOf = (email: string) => required(accounts.find((a) => a.email === email)?.userId, email);
      return seedStores({
        documentClient,
        tableName: storesTable,
        merchantId: idOf('merchant@demo.zepto.local'),
        staffId: idOf('staff@demo.zepto.local'),
        riderId: idOf('rider@demo.zepto.local'),
      });
    });
    const stockPromise = seedStock({ documentClient, tableName: inventoryTable, products: opts.products });
    const storesAndStock = Promise.all([storesPromise, stockPromise]).then(([stores, stock]) => ({
      stores,
      stock,
      ms: performance.now() - storesStarted,
    }));

    const catalogStarted = performance.now();
    const catalogPromise = seedCatalog({
      documentClient,
      tableName: catalogTable,
      products: opts.products,
      onProgress: opts.onProgress,
    }).then((result) => ({ result, ms: performance.now() - catalogStarted }));

    const [accountsMs, catalog, storesSeed] = await Promise.all([
      accountsPromise,
      catalogPromise,
      storesAndStock,
    ]);
    return {
      accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, role: a.role })),
      products: catalog.result.products,
      categories: catalog.result.categories,
      catalogSkipped: catalog.result.skipped,
      catalogConflicts: catalog.result.conflicts,
      stores: storesSeed.stores,
      stockLines: storesSeed.stock.lines,
      stockSkipped: storesSeed.stock.skipped,
      accountsMs: Math.round(accountsMs),
      catalogMs: Math.round(catalog.ms),
      storesMs: Math.round(storesSeed.ms),
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
