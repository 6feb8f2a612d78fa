/**
 * Writes the demo catalogue (catalog-data.ts) into the Catalog table through the same item mapping as the
 * catalogue's DynamoDB adapter (functions/catalog/adapters/items.ts), so seeded data is indistinguishable
 * from data created through the API: guards, counters and listing keys included.
 *
 * A marker item (pk `SEED`, sk `catalog`) records what was seeded. The same count again is a no-op. Two
 * ways of writing:
 * - **bulk**, only into a table that holds no catalogue yet (no marker, no category), or to finish a bulk
 *   seed that was interrupted (the platform seeds before it serves, so nothing else wrote in between):
 *   BatchWriteItem, 25 items a batch, a few batches in flight, unprocessed items retried with backoff;
 * - **incremental**, whenever the table already held a seed (and so may hold an admin's work): through the
 *   catalogue's own repository, one conditional transaction per product, exactly as the API writes. A larger
 *   count adds the products the last seed did not have; a smaller one deletes the extra products.
 *
 * A seed never overwrites an admin's work. Incrementally it leaves categories alone, and skips (counting
 * them in `conflicts`) a product to add whose slug or SKU an admin took or whose category an admin deleted,
 * and a product to remove that an admin edited (its `version` is no longer 1). A seed product the admin
 * deleted is not brought back. Changed seed data (`SEED_DATA_VERSION`) is not rewritten into a seeded
 * table: start from an empty data folder (`npm start -- --fresh`) to get it.
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoCatalogRepository } from '../../functions/catalog/adapters/dynamodb-repository';
import {
  CATEGORY_PARTITION,
  categoryItems,
  keys,
  productItems,
  type Item,
} from '../../functions/catalog/adapters/items';
import type { Category, Product } from '../../functions/catalog/domain';
import { DomainError } from '../../functions/shared/errors';
import { catalogSeedData, SEED_DATA_VERSION } from './catalog-data';

export interface SeedCatalogOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Number of products, 0..50,000. */
  readonly products: number;
  /** Called as batches complete with products written so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Batches (or, incrementally, products) in flight at once (default 8). */
  readonly concurrency?: number;
}

export interface SeedCatalogResult {
  readonly categories: number;
  readonly products: number;
  /** Nothing was written: the table already held this seed. */
  readonly skipped: boolean;
  /** Seed products this run left alone because of an admin's work (see the module comment). */
  readonly conflicts: number;
}

const MARKER_KEY = { pk: 'SEED', sk: 'catalog' } as const;
const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 12;
/** Seed products are written at version 1; an admin's PATCH raises it. */
const SEEDED_VERSION = 1;

interface Marker {
  /** Products of the last completed seed; while `complete` is false, the count being seeded. */
  readonly products: number;
  /** The largest product count a seed has started writing (so an interrupted larger seed is cleaned up). */
  readonly highWater: number;
  readonly dataVersion: number;
  readonly complete: boolean;
  /** How the run that wrote this marker writes (absent in markers of older seeds, which were all bulk). */
  readonly mode?: 'bulk' | 'incremental';
  /** Incremental: products [0, from) were seeded before the run began, so only later ones are added. */
  readonly from?: number;
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
    return {
      categories: catalogSeedData(0).categories.length,
      products: opts.products,
      skipped: true,
      conflicts: 0,
    };
  }
  const unfinishedBulk = marker !== undefined && !marker.complete && (marker.mode ?? 'bulk') === 'bulk';
  const bulk = marker === undefined ? !(await hasCategories(opts)) : unfinishedBulk;
  const conflicts = bulk ? await seedBulk(opts, marker) : await seedIncrementally(opts, marker);
  opts.onProgress?.(opts.products, opts.products);
  return {
    categories: catalogSeedData(0).categories.length,
    products: opts.products,
    skipped: false,
    conflicts,
  };
}

async function hasCategories({ documentClient, tableName }: SeedCatalogOptions): Promise<boolean> {
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': CATEGORY_PARTITION },
      Limit: 1,
    }),
  );
  return (Items ?? []).length > 0;
}

/** Every item of the seed, put over whatever an interrupted bulk seed left; extra products deleted. */
async function seedBulk(opts: SeedCatalogOptions, marker: Marker | undefined): Promise<number> {
  const { documentClient: client, tableName } = opts;
  const data = catalogSeedData(opts.products);
  const highWater = Math.max(marker?.highWater ?? 0, marker?.products ?? 0, opts.products);
  await putMarker(opts, {
    products: opts.products,
    highWater,
    dataVersion: SEED_DATA_VERSION,
    complete: false,
    mode: 'bulk',
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
    mode: 'bulk',
  });
  return 0;
}

/**
 * Adds the products the last seed did not have, or removes the extra ones, through the repository's
 * transactions (guards claimed and released, counters moved), next to whatever an admin did since.
 */
async function seedIncrementally(opts: SeedCatalogOptions, marker: Marker | undefined): Promise<number> {
  const target = opts.products;
  // Products before `from` were seeded earlier and are not added again (an admin may have deleted them).
  // Without a marker (a table seeded before markers existed) that is none. A shrink records the smaller
  // count, so an interrupted shrink resumed with a larger count adds back what it had removed.
  const from = Math.min(target, marker ? (marker.complete ? marker.products : (marker.from ?? 0)) : 0);
  const highWater = Math.max(marker?.highWater ?? 0, marker?.products ?? 0, target);
  await putMarker(opts, {
    products: target,
    highWater,
    dataVersion: SEED_DATA_VERSION,
    complete: false,
    mode: 'incremental',
    from,
  });

  const repository = new DynamoCatalogRepository(opts.documentClient, opts.tableName);
  const all = catalogSeedData(highWater).products;
  const toAdd = all.slice(from, target);
  const toRemove = all.slice(target, highWater);
  let conflicts = 0;
  let done = from;

  // Categories as they are now (an admin may have edited, moved or deleted seeded ones); read once each.
  const categories = new Map<string, Promise<Category | undefined>>();
  const categoryOf = (product: Product) => {
    if (!categories.has(product.categoryId))
      categories.set(product.categoryId, repository.getCategory(product.categoryId));
    return categories.get(product.categoryId)!;
  };

  await runPool(toAdd, opts.concurrency ?? 8, async (product) => {
    const category = await categoryOf(product);
    if (!category) conflicts++;
    else if (!(await addProduct(repository, product, category))) conflicts++;
    opts.onProgress?.(++done, target);
  });
  await runPool(toRemove, opts.concurrency ?? 8, async (seeded) => {
    const product = await repository.getProduct(seeded.id);
    if (!product) return;
    if (product.version !== SEEDED_VERSION) {
      conflicts++;
      return;
    }
    try {
      await repository.deleteProduct(product);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      conflicts++;
    }
  });

  await putMarker(opts, {
    products: target,
    highWater: target,
    dataVersion: SEED_DATA_VERSION,
    complete: true,
    mode: 'incremental',
  });
  return conflicts;
}

/** Creates a seed product as the API would; false when an admin's work is in the way. */
async function addProduct(
  repository: DynamoCatalogRepository,
  product: Product,
  category: Category,
): Promise<boolean> {
  try {
    await repository.createProduct(product, category);
    return true;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Already there from an interrupted run of this seed: not a conflict.
    const existing = await repository.getProduct(product.id);
    return existing !== undefined;
  }
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
