import type { Cache } from '#shared/cache/port';
import type { StoreAccess } from '#shared/published/store-access';
import type { AuditRecord, StockLine } from './domain';

export interface StockPage {
  readonly items: readonly StockLine[];
  /** Product id of the last line returned when more may follow. */
  readonly next?: string;
}

export interface InventoryRepository {
  getLine(storeId: string, productId: string): Promise<StockLine | undefined>;
  listLines(storeId: string, page: { readonly limit: number; readonly after?: string }): Promise<StockPage>;
  /**
   * Writes `after` and the audit record in one transaction, if the line is still at `before.version`.
   * Otherwise nothing is written and it returns `{written: false}`, with the line as it is now when the
   * store said so (a failed condition), or without it (a concurrent transaction got in the way).
   */
  writeChange(before: StockLine, after: StockLine, audit: AuditRecord): Promise<WriteOutcome>;
}

export type WriteOutcome =
  { readonly written: true } | { readonly written: false; readonly current?: StockLine | null };

export interface StoreAccessReader {
  getAccess(storeId: string): Promise<StoreAccess | undefined>;
}

export interface InventoryDeps {
  readonly inventory: InventoryRepository;
  readonly stores: StoreAccessReader;
  /** Write-through of changed lines for the catalogue's product pages (the pass-through cache without one). */
  readonly cache: Cache;
  readonly now: () => string;
  readonly newId: () => string;
  /** Waits before retry `attempt` (1, 2, ...) after a lost race; tests pass a no-op. */
  readonly backoff: (attempt: number) => Promise<void>;
}
