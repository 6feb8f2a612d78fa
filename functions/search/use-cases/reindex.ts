/**
 * A full rebuild with no downtime (`npm run search:reindex`, and the local platform at every start): a new
 * versioned index is created and named by the building alias, so the stream indexer writes every change into
 * it as well while it fills; every product is read from DynamoDB and bulk-indexed into it (external versions:
 * a change the indexer wrote meanwhile is newer and wins); then the `products` alias moves to it in one atomic
 * step and the old indexes are deleted. Searches read the old index until that step.
 */
import type { CatalogCategory, CatalogProduct } from '#shared/published/catalog-items';
import { documentOf } from '../domain';
import type { BulkOperation, SearchEngine } from '../ports';

export interface ReindexDeps {
  readonly engine: SearchEngine;
  readonly categories: () => Promise<ReadonlyMap<string, CatalogCategory>>;
  readonly allProducts: () => AsyncIterable<readonly CatalogProduct[]>;
}

export interface ReindexResult {
  readonly index: string;
  readonly indexed: number;
  readonly skipped: number;
  readonly previous: readonly string[];
  readonly tookMs: number;
}

const BULK_SIZE = 500;

export async function reindex(
  deps: ReindexDeps,
  opts: { readonly version?: string; readonly onProgress?: (indexed: number) => void } = {},
): Promise<ReindexResult> {
  const started = Date.now();
  const index = await deps.engine.beginIndex(opts.version ?? String(Date.now()));
  const categories = await deps.categories();
  let indexed = 0;
  let skipped = 0;
  let pending: BulkOperation[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    let outcome = await deps.engine.bulk(batch, { index });
    if (outcome.failed.length > 0) {
      const again = new Set(outcome.failed.map((f) => f.id));
      outcome = await deps.engine.bulk(
        batch.filter((o) => again.has(o.op === 'index' ? o.doc.id : o.id)),
        { index },
      );
    }
    if (outcome.failed.length > 0)
      throw new Error(
        `Reindex: ${outcome.failed.length} document(s) refused twice, e.g. ${outcome.failed[0]!.id}: ${outcome.failed[0]!.reason}`,
      );
    indexed += batch.length;
    opts.onProgress?.(indexed);
  };
  for await (const page of deps.allProducts()) {
    for (const product of page) {
      const doc = documentOf(product, categories);
      if (doc) pending.push({ op: 'index', doc });
      else skipped++;
    }
    if (pending.length >= BULK_SIZE) await flush();
  }
  await flush();
  const { previous } = await deps.engine.publishIndex(index);
  return { index, indexed, skipped, previous, tookMs: Date.now() - started };
}
