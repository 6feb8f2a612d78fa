/**
 * Seeds the demo dark stores (stores-data.ts) through the stores service's own repository (store item and
 * H3 cell index in one transaction, exactly as POST /v1/admin/stores writes them), and their stock.
 *
 * Stores: a seed store that exists is left alone (an admin may have changed it); a missing one is created,
 * owned by the demo merchant, with the demo staff and rider assigned at Koramangala.
 *
 * Stock: one line per seed store × seed product, through the published Inventory layout. A marker item
 * (`{storeId: 'SEED', productId: 'inventory'}`) records the product count seeded. The same count again writes
 * nothing. Into a table without a marker (a fresh one, or an interrupted first seed — the platform seeds
 * before it serves, so nothing else wrote meanwhile) it writes with BatchWriteItem; otherwise (a different
 * product count) it adds only missing lines with a conditional put, so a line changed through the API is
 * never overwritten.
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoStoreRepository } from '../../functions/stores/adapters/dynamodb-stores';
import { coveringCells } from '../../functions/stores/domain/cells';
import type { Store } from '../../functions/stores/domain/store';
import { stockItem } from '../../functions/shared/published/stock';
import { catalogSeedData } from './catalog-data';
import { SEED_STORE_HOURS, SEED_STORES, seedQuantity, STORE_SEED_VERSION } from './stores-data';

export interface SeededStore {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly status: string;
}

export async function seedStores(opts: {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly merchantId: string;
  readonly staffId: string;
  readonly riderId: string;
}): Promise<SeededStore[]> {
  const repository = new DynamoStoreRepository(opts.documentClient, opts.tableName);
  const now = new Date().toISOString();
  const seeded: SeededStore[] = [];
  for (const s of SEED_STORES) {
    let current = await repository.getStore(s.id);
    if (!current) {
      const area = { type: 'radius', radiusMetres: s.radiusMetres } as const;
      const location = { lat: s.lat, lng: s.lng };
      const store: Store = {
        id: s.id,
        name: s.name,
        location,
        area,
        hours: SEED_STORE_HOURS,
        prepMinutes: s.prepMinutes,
        status: s.status,
        merchantId: opts.merchantId,
        staff: s.demoStaff ? { [opts.staffId]: 'store_staff', [opts.riderId]: 'delivery_partner' } : {},
        cells: await coveringCells(area, location),
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await repository.createStore(store);
      current = store;
    }
    seeded.push({ id: current.id, name: current.name, city: s.city, status: current.status });
  }
  return seeded;
}

const MARKER_KEY = { storeId: 'SEED', productId: 'inventory' } as const;

interface StockMarker {
  readonly products: number;
  readonly dataVersion: number;
  readonly complete: boolean;
}

export interface SeedStockResult {
  readonly lines: number;
  readonly skipped: boolean;
}

export async function seedStock(opts: {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly products: number;
  readonly concurrency?: number;
}): Promise<SeedStockResult> {
  const { documentClient: client, tableName } = opts;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: MARKER_KEY, ConsistentRead: true }),
  );
  const marker = Item as StockMarker | undefined;
  const lines = SEED_STORES.length * opts.products;
  if (marker?.complete && marker.products === opts.products && marker.dataVersion === STORE_SEED_VERSION)
    return { lines, skipped: true };
  const bulk = marker === undefined || (!marker.complete && marker.products === opts.products);
  const putMarker = (complete: boolean) =>
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...MARKER_KEY,
          entity: 'SeedMarker',
          products: opts.products,
          dataVersion: STORE_SEED_VERSION,
          complete,
          seededAt: new Date().toISOString(),
        },
      }),
    );
  await putMarker(false);

  const now = new Date().toISOString();
  const items = catalogSeedData(opts.products).products.flatMap((p) =>
    SEED_STORES.map((s) =>
      stockItem({
        storeId: s.id,
        productId: p.id,
        available: seedQuantity(s.id, p.id),
        reserved: 0,
        version: 1,
        updatedAt: now,
      }),
    ),
  );
  if (bulk) {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    await pool(batches, opts.concurrency ?? 8, (batch) => writeBatch(client, tableName, batch));
  } else {
    await pool(items, opts.concurrency ?? 16, async (item) => {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(storeId)',
          }),
        );
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
      }
    });
  }
  await putMarker(true);
  return { lines, skipped: false };
}

async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  batch: Record<string, unknown>[],
) {
  let pending = batch.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 12) throw new Error(`Stock seeding gave up: ${pending.length} items stayed unprocessed`);
    if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const { UnprocessedItems } = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
  }
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
