/**
 * The indexer: a batch of Catalog stream records → one bulk request (index active products, delete
 * inactive and deleted ones), versioned so replays and out-of-order retries never bring back an old
 * state. Records of one product collapse into its latest; a product the engine refused reports its
 * earliest record as failed, so the event source retries from there (ReportBatchItemFailures). A request
 * that fails as a whole throws: the event source retries the batch, halved (bisect on error).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { catalogProductFromItem, isProductItem, type CatalogCategory } from '#shared/published/catalog-items';
import { documentOf } from '../domain';
import type { BulkOperation, SearchEngine } from '../ports';

export interface IndexerDeps {
  readonly engine: SearchEngine;
  readonly categories: () => Promise<ReadonlyMap<string, CatalogCategory>>;
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

export async function indexChanges(
  deps: IndexerDeps,
  records: readonly DynamoDBRecord[],
): Promise<DynamoDBBatchResponse & { indexed: number; deleted: number }> {
  const categories = await deps.categories();
  // Latest operation per product, with the sequence number of its earliest record (where a retry starts).
  const latest = new Map<string, { op: BulkOperation; firstSequence: string }>();
  const unreadable: string[] = [];
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
  const operations = [...latest.values()].map((v) => v.op);
  const outcome = await deps.engine.bulk(operations);
  const failedIds = new Set(outcome.failed.map((f) => f.id));
  const failures = [
    ...unreadable,
    ...[...latest].filter(([id]) => failedIds.has(id)).map(([, v]) => v.firstSequence),
  ];
  return {
    batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })),
    indexed: operations.filter((o) => o.op === 'index').length,
    deleted: operations.filter((o) => o.op === 'delete').length,
  };
}
