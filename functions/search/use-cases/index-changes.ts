/**
 * The indexer: a batch of Catalog stream records → bulk requests (index active products, delete inactive
 * and deleted ones), versioned so replays and out-of-order retries never bring back an old state. Records
 * of one product collapse into its latest; a product the engine refused reports its earliest record as
 * failed, so the event source retries from there (ReportBatchItemFailures). A request that fails as a
 * whole throws: the event source retries the batch, halved (bisect on error).
 *
 * Documents carry their category path, so a category whose name or parent changed re-indexes its active
 * products (read from the catalogue's listing indexes page by page, at most `maxCategoryProducts` per
 * batch); the batch's own category images name the categories, whatever a cached read says. A re-indexed
 * product keeps its version (external_gte: the same version with new content is applied, an older one not).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import {
  catalogCategoryFromItem,
  catalogProductFromItem,
  isCategoryItem,
  isProductItem,
  type CatalogCategory,
  type CatalogProduct,
} from '#shared/published/catalog-items';
import { documentOf } from '../domain';
import type { BulkOperation, SearchEngine } from '../ports';

/** Operations per bulk request. */
export const BULK_SIZE = 500;
/** Products one batch re-indexes for changed categories at most; beyond, `npm run search:reindex`. */
export const MAX_CATEGORY_PRODUCTS = 10_000;

export interface IndexerDeps {
  readonly engine: SearchEngine;
  readonly categories: () => Promise<ReadonlyMap<string, CatalogCategory>>;
  /** The active products of a category, page by page (a top-level one's with its subcategories'). */
  readonly activeProductsIn: (category: CatalogCategory) => AsyncIterable<readonly CatalogProduct[]>;
  readonly maxCategoryProducts?: number;
}

export interface IndexerResult extends DynamoDBBatchResponse {
  readonly indexed: number;
  readonly deleted: number;
  /** Products re-indexed because their category was renamed or moved. */
  readonly reindexedForCategories: number;
  /** Changed categories whose products were not all re-indexed (over maxCategoryProducts). */
  readonly truncatedCategories: readonly string[];
}

type Image = Record<string, unknown>;
const image = (raw: unknown): Image | undefined =>
  raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined;

/** The operation a record asks for, or undefined when it is not about a product. */
export function operationOf(
  record: DynamoDBRecord,
  categories: ReadonlyMap<string, CatalogCategory>,
): BulkOperation | undefined {
  const keys = image(record.dynamodb?.Keys);
  if (!keys || !isProductItem(keys)) return undefined;
  const id = String(keys.pk).slice('PRODUCT#'.length);
  if (record.eventName === 'REMOVE') {
    const old = image(record.dynamodb?.OldImage);
    // One above the last version written: an index operation of that version, replayed later, loses.
    return { op: 'delete', id, version: (typeof old?.version === 'number' ? old.version : 0) + 1 };
  }
  const item = image(record.dynamodb?.NewImage);
  if (!item)
    throw new Error(`Record ${record.eventID ?? ''} has no new image (the stream must carry NEW_IMAGE)`);
  const product = catalogProductFromItem(item);
  const doc = documentOf(product, categories);
  return doc ? { op: 'index', doc } : { op: 'delete', id, version: product.version };
}

/**
 * A category record's change: its state after the record (undefined when deleted), and whether its
 * products' documents change with it (name or parent). Undefined when the record is not about a category.
 */
export function categoryChangeOf(
  record: DynamoDBRecord,
): { readonly id: string; readonly after?: CatalogCategory; readonly pathChanged: boolean } | undefined {
  const keys = image(record.dynamodb?.Keys);
  if (!keys || !isCategoryItem(keys)) return undefined;
  const id = String(keys.sk);
  const newImage = image(record.dynamodb?.NewImage);
  const oldImage = image(record.dynamodb?.OldImage);
  const after = newImage ? catalogCategoryFromItem(newImage) : undefined;
  const before = oldImage ? catalogCategoryFromItem(oldImage) : undefined;
  // Counters change with every product added or removed: only a new name or parent changes a path.
  const pathChanged =
    record.eventName === 'MODIFY' &&
    after !== undefined &&
    before !== undefined &&
    (after.name !== before.name || after.parentId !== before.parentId);
  return { id, after, pathChanged };
}

export async function indexChanges(
  deps: IndexerDeps,
  records: readonly DynamoDBRecord[],
): Promise<IndexerResult> {
  // The batch's category images are newer than (or as new as) any read: they name the categories.
  const categories = new Map(await deps.categories());
  const unreadable: string[] = [];
  /** Changed categories → the sequence number of their earliest path-changing record. */
  const changed = new Map<string, string>();
  for (const record of records) {
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    try {
      const change = categoryChangeOf(record);
      if (!change) continue;
      if (change.after) categories.set(change.id, change.after);
      else categories.delete(change.id);
      if (change.pathChanged && !changed.has(change.id)) changed.set(change.id, sequence);
    } catch {
      unreadable.push(sequence);
    }
  }

  // Latest operation per product, with the sequence number of its earliest record (where a retry starts).
  const latest = new Map<string, { op: BulkOperation; firstSequence: string }>();
  for (const record of records) {
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    let op: BulkOperation | undefined;
    try {
      op = operationOf(record, categories);
    } catch {
      unreadable.push(sequence);
      continue;
    }
    if (!op) continue;
    const id = op.op === 'index' ? op.doc.id : op.id;
    latest.set(id, { op, firstSequence: latest.get(id)?.firstSequence ?? sequence });
  }

  // Products of renamed or moved categories (a product with records of its own in the batch has its op).
  const limit = deps.maxCategoryProducts ?? MAX_CATEGORY_PRODUCTS;
  const forCategories = new Map<string, { op: BulkOperation; firstSequence: string }>();
  const truncated: string[] = [];
  for (const [categoryId, sequence] of changed) {
    const category = categories.get(categoryId);
    if (!category) continue;
    pages: for await (const page of deps.activeProductsIn(category))
      for (const product of page) {
        if (latest.has(product.id) || forCategories.has(product.id)) continue;
        if (forCategories.size >= limit) {
          truncated.push(categoryId);
          break pages;
        }
        const doc = documentOf(product, categories);
        if (doc) forCategories.set(product.id, { op: { op: 'index', doc }, firstSequence: sequence });
      }
  }

  const work = [...latest, ...forCategories];
  const failedIds = new Set<string>();
  for (let i = 0; i < work.length; i += BULK_SIZE) {
    const outcome = await deps.engine.bulk(work.slice(i, i + BULK_SIZE).map(([, v]) => v.op));
    for (const f of outcome.failed) failedIds.add(f.id);
  }
  const failures = new Set([
    ...unreadable,
    ...work.filter(([id]) => failedIds.has(id)).map(([, v]) => v.firstSequence),
  ]);
  const operations = [...latest.values()].map((v) => v.op);
  return {
    batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })),
    indexed: operations.filter((o) => o.op === 'index').length,
    deleted: operations.filter((o) => o.op === 'delete').length,
    reindexedForCategories: forCategories.size,
    truncatedCategories: truncated,
  };
}
