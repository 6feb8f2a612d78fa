/**
 * The validator (S3 ObjectCreated under imports/): claims the file for its import, checks the store's
 * owner from the key, streams the file twice (first the structure, the row count and where each SKU
 * appears; then every row against the rules and the catalogue), writes the valid rows and the rejected
 * rows as chunk objects, and starts the InventoryImport machine under a name derived from the key and
 * the ETag. A redelivered or duplicated event finds the import already claimed or done and starts nothing
 * new (an existing execution of that name is success).
 */
import { createHash } from 'node:crypto';
import {
  checkRow,
  duplicateReason,
  isBlankRow,
  isRejected,
  parseHeader,
  type CandidateRow,
  type Header,
  type RejectedRow,
} from '../csv-rules';
import { csvRecords, tooLarge, UnusableFileError } from '../csv-stream';
import {
  CHUNK_ROWS,
  chunkKey,
  derivedImportId,
  executionName,
  importSequence,
  MAX_FILE_BYTES,
  MAX_ROWS,
  NO_COUNTS,
  parseObjectKey,
  RECORD_ERRORS,
  ULID_PATTERN,
  type ImportRecord,
  type RowError,
} from '../domain';
import { manifestOf } from '../machine';
import type { ValidatorDeps } from '../ports';
import { SKU_PATTERN } from '#shared/published/product-sku';

export interface UploadedObject {
  /** The decoded object key. */
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  /** When S3 stored the object (the event's `eventTime`). */
  readonly uploadedAt: string;
}

export type ValidationOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'duplicate'; readonly importId: string }
  | { readonly outcome: 'rejected'; readonly importId: string; readonly reason: string }
  | { readonly outcome: 'started'; readonly importId: string; readonly executionName: string }
  | { readonly outcome: 'failed'; readonly importId: string; readonly error: unknown };

/** SKUs looked up per catalogue call, and calls in flight at once. */
const LOOKUP_BATCH = 100;
const LOOKUP_PARALLEL = 10;

const hashOf = (object: UploadedObject) =>
  createHash('sha256').update(`${object.key}\n${object.etag}`).digest();

export async function validateUpload(
  deps: ValidatorDeps,
  object: UploadedObject,
): Promise<ValidationOutcome> {
  const parsed = parseObjectKey(object.key);
  if (parsed.kind === 'report') return { outcome: 'ignored', reason: 'An error report, not an upload.' };
  if (parsed.kind === 'misplaced') return { outcome: 'ignored', reason: parsed.reason };
  const digest = hashOf(object);
  const importId = ULID_PATTERN.test(parsed.name)
    ? parsed.name
    : derivedImportId(Date.parse(object.uploadedAt) || 0, digest);
  const etag = object.etag.replaceAll('"', '');
  const claim = await deps.imports.claim({
    importId,
    storeId: parsed.storeId,
    merchantId: parsed.merchantId,
    objectKey: object.key,
    etag,
    sequence: importSequence(object.uploadedAt, importId),
    now: deps.now(),
  });
  const name = executionName(importId, digest.toString('hex'));
  if (!claim.claimed) {
    // Validated already: a lost StartExecution (the validator died after APPLYING) is started again, and
    // an execution that exists is success, so the file is applied once.
    if (claim.record.etag === etag && claim.record.status === 'APPLYING') {
      await deps.executions.start(name, manifestOf(claim.record));
      return { outcome: 'started', importId, executionName: name };
    }
    return { outcome: 'duplicate', importId };
  }
  try {
    return await validateClaimed(deps, claim.record, object, etag, name);
  } catch (error) {
    await deps.imports.fail(
      importId,
      'The file could not be validated because of an internal error; upload it again.',
      deps.now(),
    );
    return { outcome: 'failed', importId, error };
  }
}

async function validateClaimed(
  deps: ValidatorDeps,
  record: ImportRecord,
  object: UploadedObject,
  etag: string,
  name: string,
): Promise<ValidationOutcome> {
  const reject = async (reason: string, rows = 0) => {
    await deps.imports.finishValidation(record.importId, etag, {
      status: 'REJECTED',
      counts: { ...NO_COUNTS, rows },
      errors: [],
      reason,
      now: deps.now(),
    });
    return { outcome: 'rejected', importId: record.importId, reason } as const;
  };
  const store = await deps.stores.getAccess(record.storeId);
  if (!store) return reject(`There is no store ${record.storeId}.`);
  if (store.merchantId !== record.merchantId)
    return reject(
      `The upload's folder names merchant ${record.merchantId}, who does not own store ${record.storeId}.`,
    );
  if (object.size > MAX_FILE_BYTES) return reject(tooLarge().message);

  let structure: Structure;
  try {
    structure = await readStructure(deps, object.key, etag);
  } catch (error) {
    if (error instanceof UnusableFileError) return reject(error.message);
    throw error;
  }
  if ('rejected' in structure) return reject(structure.rejected, structure.rows ?? 0);

  const result = await validateRows(deps, record, object.key, etag, structure);
  const counts = { ...NO_COUNTS, rows: structure.rows, valid: result.valid, rejected: result.rejected };
  await deps.imports.finishValidation(record.importId, etag, {
    status: 'APPLYING',
    counts,
    errors: result.firstErrors,
    chunks: result.chunks,
    errorChunks: result.errorChunks,
    now: deps.now(),
  });
  await deps.executions.start(
    name,
    manifestOf({
      ...record,
      counts,
      chunks: result.chunks,
      errorChunks: result.errorChunks,
    }),
  );
  return { outcome: 'started', importId: record.importId, executionName: name };
}

type Structure =
  | { readonly header: Header; readonly rows: number; readonly lines: Map<string, number | number[]> }
  | { readonly rejected: string; readonly rows?: number };

async function open(deps: ValidatorDeps, key: string, etag: string) {
  const object = await deps.objects.open(key, etag);
  if (!object) throw new Error(`The object ${key} is gone`);
  if (object.size > MAX_FILE_BYTES) throw tooLarge();
  return object.body;
}

/** Pass 1: the header, the number of rows, and the lines each well-formed SKU appears on. */
async function readStructure(deps: ValidatorDeps, key: string, etag: string): Promise<Structure> {
  let header: Header | undefined;
  let rows = 0;
  const lines = new Map<string, number | number[]>();
  for await (const { cells, line } of csvRecords(await open(deps, key, etag))) {
    if (isBlankRow(cells)) continue;
    if (!header) {
      const parsed = parseHeader(cells);
      if ('rejected' in parsed) return parsed;
      header = parsed.header;
      continue;
    }
    if (++rows > MAX_ROWS)
      return { rejected: `The file has more than ${MAX_ROWS} rows; split it into several files.`, rows };
    const sku = (cells[header.sku] ?? '').trim();
    if (!SKU_PATTERN.test(sku)) continue;
    const seen = lines.get(sku);
    if (seen === undefined) lines.set(sku, line);
    else if (typeof seen === 'number') lines.set(sku, [seen, line]);
    else seen.push(line);
  }
  if (!header) return { rejected: 'The file is empty: it has no header row.' };
  if (rows === 0) return { rejected: 'The file has a header but no rows.' };
  return { header, rows, lines };
}

interface RowsResult {
  readonly valid: number;
  readonly rejected: number;
  readonly chunks: number;
  readonly errorChunks: number;
  readonly firstErrors: RowError[];
}

/** Pass 2: every row against the rules and the catalogue; chunks of valid and of rejected rows. */
async function validateRows(
  deps: ValidatorDeps,
  record: ImportRecord,
  key: string,
  etag: string,
  structure: Extract<Structure, { header: Header }>,
): Promise<RowsResult> {
  const { header, lines } = structure;
  let validRows: { line: number; sku: string; productId: string; quantity: number; reason?: string }[] = [];
  let errorRows: RejectedRow[] = [];
  let valid = 0;
  let rejected = 0;
  let chunks = 0;
  let errorChunks = 0;
  const firstErrors: RowError[] = [];

  const rejectRow = async (row: RejectedRow) => {
    rejected++;
    if (firstErrors.length < RECORD_ERRORS)
      firstErrors.push({ line: row.line, ...(row.column ? { column: row.column } : {}), reason: row.reason });
    errorRows.push(row);
    if (errorRows.length >= CHUNK_ROWS) {
      await deps.objects.putJson(chunkKey(record.importId, 'errors', errorChunks++), { rows: errorRows });
      errorRows = [];
    }
  };

  let pending: CandidateRow[] = [];
  const resolvePending = async () => {
    const skus = [...new Set(pending.map((r) => r.sku))];
    const batches: string[][] = [];
    for (let i = 0; i < skus.length; i += LOOKUP_BATCH) batches.push(skus.slice(i, i + LOOKUP_BATCH));
    const found = new Map<string, string>();
    for (let i = 0; i < batches.length; i += LOOKUP_PARALLEL) {
      const answers = await Promise.all(
        batches.slice(i, i + LOOKUP_PARALLEL).map((b) => deps.skus.productIds(b)),
      );
      for (const answer of answers) for (const [sku, productId] of answer) found.set(sku, productId);
    }
    for (const row of pending) {
      const productId = found.get(row.sku);
      if (!productId) {
        await rejectRow({
          line: row.line,
          column: 'sku',
          reason: 'Unknown SKU: the catalogue has no product with this SKU.',
          sku: row.sku,
          quantity: String(row.quantity),
        });
        continue;
      }
      valid++;
      validRows.push({ ...row, productId });
      if (validRows.length >= CHUNK_ROWS) {
        await deps.objects.putJson(chunkKey(record.importId, 'rows', chunks++), { rows: validRows });
        validRows = [];
      }
    }
    pending = [];
  };

  let seenHeader = false;
  for await (const { cells, line } of csvRecords(await open(deps, key, etag))) {
    if (isBlankRow(cells)) continue;
    if (!seenHeader) {
      seenHeader = true;
      continue;
    }
    const row = checkRow(header, cells, line);
    if (isRejected(row)) {
      await rejectRow(row);
      continue;
    }
    const seen = lines.get(row.sku);
    if (Array.isArray(seen)) {
      await rejectRow({
        line,
        column: 'sku',
        reason: duplicateReason(row.sku, seen),
        sku: row.sku,
        quantity: String(row.quantity),
      });
      continue;
    }
    pending.push(row);
    if (pending.length >= CHUNK_ROWS) await resolvePending();
  }
  await resolvePending();
  if (validRows.length > 0)
    await deps.objects.putJson(chunkKey(record.importId, 'rows', chunks++), { rows: validRows });
  if (errorRows.length > 0)
    await deps.objects.putJson(chunkKey(record.importId, 'errors', errorChunks++), { rows: errorRows });
  return { valid, rejected, chunks, errorChunks, firstErrors };
}
