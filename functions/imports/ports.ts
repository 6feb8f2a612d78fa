import type { Readable } from 'node:stream';
import type { Cache } from '#shared/cache/port';
import type { ImportedStockLine, StockLine } from '#shared/published/stock';
import type { StockAuditRecord } from '#shared/published/stock-audit';
import type { StoreAccess } from '#shared/published/store-access';
import type { ImportCounts, ImportRecord, ImportStatus, RowError } from './domain';

export interface ImportPage {
  readonly items: readonly ImportRecord[];
  /** Import id of the last record returned when more may follow. */
  readonly next?: string;
}

/** What the validator found when it claimed a file for an import. */
export type ClaimOutcome =
  /** This file is the import's (first delivery, or a redelivery while it is still being validated). */
  | { readonly claimed: true; readonly record: ImportRecord }
  /** The import already went past validation (a redelivered event), or belongs to another file. */
  | { readonly claimed: false; readonly record: ImportRecord };

export interface ClaimRequest {
  readonly importId: string;
  readonly storeId: string;
  readonly merchantId: string;
  readonly objectKey: string;
  readonly etag: string;
  readonly sequence: string;
  readonly now: string;
}

export interface ImportRepository {
  create(record: ImportRecord): Promise<void>;
  get(importId: string): Promise<ImportRecord | undefined>;
  /** Newest first. */
  listByStore(
    storeId: string,
    page: { readonly limit: number; readonly after?: string },
  ): Promise<ImportPage>;
  /**
   * Moves the import to VALIDATING for this file (creating it for a file dropped straight into the
   * bucket), if it is PENDING for the same key or already VALIDATING the same file.
   */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** The end of validation: conditional on VALIDATING this file (`etag`). */
  finishValidation(
    importId: string,
    etag: string,
    outcome: {
      readonly status: Extract<ImportStatus, 'REJECTED' | 'APPLYING'>;
      readonly counts: ImportCounts;
      readonly errors: readonly RowError[];
      readonly reason?: string;
      readonly chunks?: number;
      readonly errorChunks?: number;
      readonly now: string;
    },
  ): Promise<void>;
  /** The machine's last step: APPLYING → SUCCEEDED / PARTIALLY_APPLIED; repeating it changes nothing. */
  complete(
    importId: string,
    outcome: {
      readonly status: Extract<ImportStatus, 'SUCCEEDED' | 'PARTIALLY_APPLIED'>;
      readonly counts: ImportCounts;
      readonly reportKey?: string;
      readonly now: string;
    },
  ): Promise<void>;
  /** Any status but a final one → FAILED with the reason. */
  fail(importId: string, reason: string, now: string): Promise<void>;
}

export interface StoreAccessReader {
  getAccess(storeId: string): Promise<StoreAccess | undefined>;
}

export interface SkuLookup {
  /** SKU → product id for the SKUs the catalogue has (at most 100 per call). */
  productIds(skus: readonly string[]): Promise<Map<string, string>>;
}

export interface StoredObject {
  readonly body: Readable;
  readonly size: number;
  readonly etag: string;
}

export interface ObjectStore {
  /** Streams an object; with `etag`, only that version (a changed object is an error). */
  open(key: string, etag?: string): Promise<StoredObject | undefined>;
  putJson(key: string, value: unknown): Promise<void>;
  getJson(key: string): Promise<unknown>;
  putText(key: string, text: string, contentType: string): Promise<void>;
}

export interface UploadSigner {
  presignPut(request: {
    readonly key: string;
    readonly contentType: string;
    readonly contentLength: number;
    readonly expiresInSeconds: number;
  }): Promise<string>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

export interface ExecutionStarter {
  /** Starts the machine; an execution of that name that already exists is success (`existed: true`). */
  start(name: string, input: unknown): Promise<{ readonly existed: boolean }>;
}

/** One line an import writes: the line as read (absent when new) and as it will be. */
export interface StockWrite {
  readonly before?: ImportedStockLine;
  readonly after: StockLine;
  readonly sequence: string;
  readonly importId: string;
  readonly audit: StockAuditRecord;
}

export type StockWriteOutcome =
  | { readonly written: true }
  /** Nothing was written: `stale` are the writes whose line changed since it was read (re-read them). */
  | { readonly written: false; readonly stale: readonly number[] };

export interface StockWriter {
  /** Consistent reads of the lines of these products at the store (absent: no line). */
  getLines(storeId: string, productIds: readonly string[]): Promise<Map<string, ImportedStockLine>>;
  /** All or nothing (one transaction), each line conditional on the state it was read in. */
  write(writes: readonly StockWrite[]): Promise<StockWriteOutcome>;
}

export interface ImportDeps {
  readonly imports: ImportRepository;
  readonly now: () => string;
  readonly newId: () => string;
}

export interface UploadDeps extends ImportDeps {
  readonly stores: StoreAccessReader;
  readonly signer: UploadSigner;
}

export interface ValidatorDeps extends ImportDeps {
  readonly stores: StoreAccessReader;
  readonly skus: SkuLookup;
  readonly objects: ObjectStore;
  readonly executions: ExecutionStarter;
}

export interface ApplyDeps {
  readonly objects: ObjectStore;
  readonly stock: StockWriter;
  readonly now: () => string;
  /** Waits before retry `attempt` (1, 2, ...) after a lost race; tests pass a no-op. */
  readonly backoff: (attempt: number) => Promise<void>;
}

export interface WarmDeps {
  readonly objects: ObjectStore;
  readonly stock: Pick<StockWriter, 'getLines'>;
  readonly cache: Cache;
}
