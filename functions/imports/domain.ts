/**
 * Inventory imports: a merchant's CSV of absolute stock levels for one store, uploaded to S3, validated
 * while streaming, applied by the InventoryImport state machine. The rules here import no AWS SDK.
 */
import { ForbiddenError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { StoreAccess } from '#shared/published/store-access';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const IMPORT_STATUSES = [
  'PENDING',
  'VALIDATING',
  'APPLYING',
  'SUCCEEDED',
  'PARTIALLY_APPLIED',
  'REJECTED',
  'FAILED',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const FINAL_STATUSES: readonly ImportStatus[] = [
  'SUCCEEDED',
  'PARTIALLY_APPLIED',
  'REJECTED',
  'FAILED',
];

/** File rules. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 100_000;
/** Row rules. */
export const MAX_QUANTITY = 100_000;
export const MAX_REASON_LENGTH = 200;
/** Valid rows per chunk object (one Map iteration of the state machine). */
export const CHUNK_ROWS = 1000;
/** Rejected rows kept on the import record (the report has all of them). */
export const RECORD_ERRORS = 20;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const CSV_CONTENT_TYPE = 'text/csv';

export interface ImportCounts {
  /** Data rows in the file (blank lines not counted). */
  readonly rows: number;
  readonly valid: number;
  /** Valid rows whose line this import set. */
  readonly applied: number;
  /** Valid rows left alone because a newer import had already set the line. */
  readonly superseded: number;
  readonly rejected: number;
}
export const NO_COUNTS: ImportCounts = { rows: 0, valid: 0, applied: 0, superseded: 0, rejected: 0 };

export interface RowError {
  readonly line: number;
  /** The column at fault (`sku`, `quantity`, `reason`), or absent for the row as a whole. */
  readonly column?: string;
  readonly reason: string;
}

export interface ImportRecord {
  readonly importId: string;
  readonly storeId: string;
  /** The merchant the upload key names (the store's owner for a valid import). */
  readonly merchantId: string;
  /** Who asked for the upload URL (absent for a file dropped straight into the bucket). */
  readonly createdBy?: string;
  readonly objectKey: string;
  readonly status: ImportStatus;
  readonly counts: ImportCounts;
  readonly errors: readonly RowError[];
  /** Why the file was REJECTED, or why the import FAILED. */
  readonly reason?: string;
  readonly reportKey?: string;
  /** The uploaded object's ETag: the one file this import applies. */
  readonly etag?: string;
  readonly sequence?: string;
  readonly chunks?: number;
  readonly errorChunks?: number;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export const importErrors = {
  storeNotFound: (id: string) => new NotFoundError(`No store ${id}.`),
  importNotFound: (id: string) => new NotFoundError(`No inventory import ${id}.`),
  forbidden: () =>
    new ForbiddenError(
      "Only the store's merchant and admins may import or see the store's inventory imports.",
    ),
};

/** Who may import into a store and list its imports: admins and the merchant who owns it. */
export const mayImport = (caller: Caller, store: StoreAccess): boolean =>
  caller.roles.includes('admin') || (caller.roles.includes('merchant') && store.merchantId === caller.userId);

/** Who may read one import: admins, the merchant who owns its store now, and the merchant who uploaded it. */
export const mayReadImport = (
  caller: Caller,
  record: ImportRecord,
  store: StoreAccess | undefined,
): boolean =>
  caller.roles.includes('admin') ||
  (caller.roles.includes('merchant') &&
    (record.merchantId === caller.userId || store?.merchantId === caller.userId));

/** Where a merchant's upload for a store goes: `imports/{merchantId}/{storeId}/{importId}.csv`. */
export const UPLOAD_PREFIX = 'imports/';
export const uploadKey = (merchantId: string, storeId: string, importId: string) =>
  `${UPLOAD_PREFIX}${merchantId}/${storeId}/${importId}.csv`;
/** The error report sits next to the upload. */
export const reportKeyOf = (objectKey: string, importId: string) =>
  `${objectKey.slice(0, objectKey.lastIndexOf('/') + 1)}${importId}.errors.csv`;
export const REPORT_SUFFIX = '.errors.csv';
/** Chunks live outside the upload prefix, so writing them never triggers the validator. */
export const chunkKey = (importId: string, kind: 'rows' | 'errors', index: number) =>
  `chunks/${importId}/${kind}-${String(index + 1).padStart(5, '0')}.json`;

const SEGMENT = /^[A-Za-z0-9-]{1,64}$/;

export type ParsedKey =
  | { readonly kind: 'upload'; readonly merchantId: string; readonly storeId: string; readonly name: string }
  | { readonly kind: 'report' }
  | { readonly kind: 'misplaced'; readonly reason: string };

/**
 * What an object key under the upload prefix is. S3 event keys are URL-encoded (`+` for spaces); pass the
 * decoded key.
 */
export function parseObjectKey(key: string): ParsedKey {
  if (key.endsWith(REPORT_SUFFIX)) return { kind: 'report' };
  const parts = key.split('/');
  if (parts.length !== 4 || parts[0] !== 'imports' || !parts[3]!.endsWith('.csv'))
    return { kind: 'misplaced', reason: 'Files go under imports/{merchantId}/{storeId}/{name}.csv.' };
  const [, merchantId, storeId, file] = parts as [string, string, string, string];
  const name = file.slice(0, -'.csv'.length);
  if (!SEGMENT.test(merchantId) || !ULID_PATTERN.test(storeId) || name.length === 0)
    return { kind: 'misplaced', reason: 'Files go under imports/{merchantId}/{storeId}/{name}.csv.' };
  return { kind: 'upload', merchantId, storeId, name };
}

/** `<upload time>#<importId>`: later uploads compare greater as plain strings (see published/stock.ts). */
export const importSequence = (uploadedAt: string, importId: string) =>
  `${new Date(uploadedAt).toISOString()}#${importId}`;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The import id of a file dropped straight into the bucket whose name is not a fresh ULID: a ULID whose
 * time is the upload's and whose random part is a hash of the key and ETag, so a redelivered event finds
 * the same import.
 */
export function derivedImportId(uploadedAtMs: number, digest: Uint8Array): string {
  let time = '';
  let t = Math.max(0, Math.floor(uploadedAtMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32]!;
  return time + random;
}

/**
 * The execution name of one file's application: the same file (key + ETag) always gets the same name, so
 * Step Functions refuses a second execution (≤ 80 characters of `[A-Za-z0-9-_]`).
 */
export const executionName = (importId: string, keyAndEtagHashHex: string) =>
  `import-${importId}-${keyAndEtagHashHex.slice(0, 32)}`;

/** Counts after the machine applied every chunk. */
export function finalStatus(counts: ImportCounts): 'SUCCEEDED' | 'PARTIALLY_APPLIED' {
  return counts.rejected > 0 ? 'PARTIALLY_APPLIED' : 'SUCCEEDED';
}
