/**
 * The search engine port (ADR 16): what the use cases ask of a search engine. Two adapters implement it —
 * OpenSearch (adapters/opensearch.ts, AWS) and the local engine (adapters/local-engine.ts, Orama behind
 * local/engines/search) — and one contract suite (test/integration/search/contract.ts, run by contract-*.test.ts) holds both to it.
 */
import type { SearchDocument, SearchQuery, SearchResult } from './domain';

/** The engine did not answer (down, refused, timed out). Use cases degrade; they never answer 5xx for it. */
export class SearchUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchUnavailableError';
  }
}

export type BulkOperation =
  | { readonly op: 'index'; readonly doc: SearchDocument }
  /** `version` of the change that removed it: an older index operation arriving later does not bring it back. */
  | { readonly op: 'delete'; readonly id: string; readonly version: number };

export interface BulkOutcome {
  /** Ids whose operation the engine refused for a reason worth retrying (a stale version is not a failure). */
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
}

export interface SearchEngine {
  /** Full text and filters through the `products` alias. Throws SearchUnavailableError. */
  search(query: SearchQuery, opts?: { readonly signal?: AbortSignal }): Promise<SearchResult>;
  /** Up to `size` product names starting with the words typed (the last word as a prefix). */
  suggest(prefix: string, size: number, opts?: { readonly signal?: AbortSignal }): Promise<string[]>;
  /**
   * Index and delete in one bulk request against every index being written (the alias, and the index a
   * reindex is building), or only into `index` (the reindex filling its new index). Per-document refusals come back in `failed`; a request that fails as a whole throws.
   */
  bulk(operations: readonly BulkOperation[], opts?: { readonly index?: string }): Promise<BulkOutcome>;
  /** Creates a new empty index with the mapping and names it the building alias. Returns its name. */
  beginIndex(version: string): Promise<string>;
  /** Points the `products` alias at `index` (atomically), drops the building alias, deletes the old indexes. */
  publishIndex(index: string): Promise<{ readonly previous: readonly string[] }>;
  /** The indexes the `products` alias names now (empty before the first publish). */
  currentIndexes(): Promise<string[]>;
}
