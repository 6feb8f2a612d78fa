/**
 * The set-up the checkout and payment benchmarks share, not timed: customers registered and logged in
 * through the API with their saved location at a seeded open store, products with big stock written
 * straight into the tables, and a customer's one-line cart written straight before each checkout.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { cartItem } from '../functions/shared/published/cart';
import { savedLocationItem } from '../functions/shared/published/saved-location';
import { stockItem } from '../functions/shared/published/stock';
import type { Platform } from '../local/platform';

const KORAMANGALA = { lat: 12.9352, lng: 77.6245 };
/** Units of every bench product: no run sells out. */
const STOCK = 1_000_000;
export const BENCH_PRICE_PAISE = 9_900;

export interface Shopper {
  readonly token: string;
  readonly userId: string;
}

export type BenchStore = NonNullable<Platform['seed']>['stores'][number];

/** The seeded store the benchmarks shop at. */
export function koramangala(platform: Platform): BenchStore {
  const store = platform.seed?.stores.find((s) => s.status === 'open' && s.name.includes('Koramangala'));
  if (!store) throw new Error('The seeded Koramangala store is missing');
  return store;
}

export const benchLocation = KORAMANGALA;

/** `count` customers, registered and logged in through the API, located at `store`. */
export function registerShoppers(
  platform: Platform,
  documents: DynamoDBDocumentClient,
  opts: {
    readonly count: number;
    readonly label: string;
    readonly password: string;
    readonly store: BenchStore;
  },
): Promise<Shopper[]> {
  const post = (path: string, body: unknown) =>
    fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return Promise.all(
    Array.from({ length: opts.count }, async (_, i) => {
      const email = `bench-${opts.label}-${i}-${ulid().toLowerCase()}@example.com`;
      const registered = await post('/v1/auth/register', {
        email,
        password: opts.password,
        name: `Bench ${i}`,
      });
      if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
      const login = await post('/v1/auth/login', { email, password: opts.password });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const userId = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString())
        .sub as string;
      await documents.send(
        new PutCommand({
          TableName: platform.resources.tableNames.CustomerLocations!,
          Item: savedLocationItem({
            userId,
            ...KORAMANGALA,
            storeId: opts.store.id,
            storeName: opts.store.name,
            updatedAt: new Date().toISOString(),
          }),
        }),
      );
      return { token: accessToken, userId };
    }),
  );
}

/** An active product at the bench price, with big stock at `store`. */
export async function putBenchProduct(
  platform: Platform,
  documents: DynamoDBDocumentClient,
  store: BenchStore,
  productId: string,
): Promise<void> {
  const { tableNames } = platform.resources;
  const now = new Date().toISOString();
  await Promise.all([
    documents.send(
      new PutCommand({
        TableName: tableNames.Catalog!,
        Item: {
          pk: `PRODUCT#${productId}`,
          sk: 'PRODUCT',
          entity: 'Product',
          id: productId,
          name: `Bench product ${productId.slice(-6)}`,
          unit: '1 kg',
          pricePaise: BENCH_PRICE_PAISE,
          mrpPaise: 12_000,
          currency: 'INR',
          isActive: true,
          maxPerOrder: 10,
          createdAt: now,
          updatedAt: now,
          version: 1,
        },
      }),
    ),
    documents.send(
      new PutCommand({
        TableName: tableNames.Inventory!,
        Item: stockItem({
          storeId: store.id,
          productId,
          available: STOCK,
          reserved: 0,
          version: 1,
          updatedAt: now,
        }),
      }),
    ),
  ]);
}

/**
 * Writes a customer's one-line cart straight into Carts, at the next version of the bench's own count (the
 * version the checkout's transaction deletes it at).
 */
export function cartWriter(platform: Platform, documents: DynamoDBDocumentClient) {
  const versions = new Map<string, number>();
  return {
    version: (userId: string) => versions.get(userId) ?? 0,
    async write(userId: string, productId: string): Promise<void> {
      const version = (versions.get(userId) ?? 0) + 1;
      versions.set(userId, version);
      const now = new Date().toISOString();
      await documents.send(
        new PutCommand({
          TableName: platform.resources.tableNames.Carts!,
          Item: cartItem({
            userId,
            lines: [{ productId, quantity: 1, addedPricePaise: BENCH_PRICE_PAISE, addedAt: now }],
            version,
            updatedAt: now,
            expiresAt: Math.floor(Date.now() / 1000) + 3600,
          }),
        }),
      );
    },
  };
}
