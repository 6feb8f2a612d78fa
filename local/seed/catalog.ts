/**
 * Writes the demo catalogue (catalog-data.ts) into the Catalog table through the same item mapping as the
 * catalogue's DynamoDB adapter (functions/catalog/adapters/items.ts), so seeded data is indistinguishable
 * from data created through the API: guards, counters and listing keys included.
 *
 * BatchWriteItem, 25 items a batch, a few batches in flight, unprocessed items retried with exponential
 * backoff. A marker item (pk `SEED`, sk `catalog`) records what was seeded: the same count again is a
 * no-op; a smaller count deletes the products the larger one added, so counters stay exact.
 * Re-seeding resets counters of the seeded categories: products created through the API in those
 * categories are then no longer counted (local demo data only — start from an empty data folder instead).
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { categoryItems, keys, productItems, type Item } from '../../functions/catalog/adapters/items';
import type { Category } from '../../functions/catalog/domain';
import { catalogSeedData, SEED_DATA_VERSION } from './catalog-data';

export interface SeedCatalogOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Number of products, 0..50,000. */
  readonly products: number;
  /** Called as batches complete with products written so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Batches in flight at once (default 8). */
  readonly concurrency?: number;
}

export interface SeedCatalogResult {
  readonly categories: number;
  readonly products: number;
  /** Nothing was written: the table already held this seed. */
  readonly skipped: boolean;
}

const MARKER_KEY = { pk: 'SEED', sk: 'catalog' } as const;
const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 12;

interface Marker {
  /** Products of the last completed seed. */
  readonly products: number;
  /** The largest product count a seed has started writing (so an interrupted larger seed is cleaned up). */
  readonly highWater: number;
  readonly dataVersion: number;
  readonly complete: boolean;
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Record<string, string> } };

export async function seedCatalog(opts: SeedCatalogOptions): Promise<SeedCatalogResult> {
  const { documentClient: client, tableName } = opts;
  const { Item: found } = await client.send(
    new GetCommand({ TableName: tableName, Key: MARKER_KEY, ConsistentRead: true }),
  );
  const marker = found as Marker | undefined;
  if (marker?.complete && marker.products === opts.products && marker.dataVersion === SEED_DATA_VERSION) {
    opts.onProgress?.(opts.products, opts.products);
    return { categories: catalogSeedData(0).categories.length, products: opts.products, skipped: true };
  }
  const data = catalogSeedData(opts.products);
  const result = { categories: data.categories.length, products: data.products.length };
  const highWater = Math.max(marker?.highWater ?? 0, marker?.products ?? 0, opts.products);
  await putMarker(opts, {
    products: opts.products,
    highWater,
    dataVersion: SEED_DATA_VERSION,
    complete: false,
  });

  const categoryById = new Map<string, Category>(data.categories.map((c) => [c.id, c]));
  const requests: WriteRequest[] = [
    ...data.categories.flatMap(categoryItems),
    ...data.products.flatMap((p) => productItems(p, categoryById.get(p.categoryId)!)),
  ].map((Item) => ({ PutRequest: { Item } }));
  const categoryRequests = data.categories.length * 2;
  if (highWater > opts.products) {
    // Products a larger earlier seed wrote: the same generator knows their keys.
    for (const p of catalogSeedData(highWater).products.slice(opts.products))
      for (const Key of [keys.product(p.id), keys.productSlug(p.slug), keys.productSku(p.sku)])
        requests.push({ DeleteRequest: { Key } });
  }

  let written = 0;
  const report = () =>
    opts.onProgress?.(
      Math.min(opts.products, Math.floor(Math.max(0, written - categoryRequests) / 3)),
      opts.products,
    );
  await runPool(chunk(requests, BATCH_SIZE), opts.concurrency ?? 8, async (batch) => {
    await writeBatch(client, tableName, batch);
    written += batch.length;
    report();
  });

  await putMarker(opts, {
    products: opts.products,
    highWater: opts.products,
    dataVersion: SEED_DATA_VERSION,
    complete: true,
  });
  opts.onProgress?.(opts.products, opts.products);
  return { ...result, skipped: false };
}

async function putMarker(opts: SeedCatalogOptions, marker: Marker): Promise<void> {
  await opts.documentClient.send(
    new PutCommand({
      TableName: opts.tableName,
      Item: { ...MARKER_KEY, entity: 'SeedMarker', ...marker, seededAt: new Date().toISOString() },
    }),
  );
}

/** One BatchWriteItem, re-sending whatever DynamoDB leaves unprocessed with backoff and jitter. */
async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  batch: WriteRequest[],
): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS)
      throw new Error(`Seeding gave up: ${pending.length} items stayed unprocessed`);
    if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const { UnprocessedItems } = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Runs `work` over `items` with at most `concurrency` in flight; the first failure stops new work. */
async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
