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

/** Chunk objects being written while the validator reads on (each about 100 KB of rows). */
const PUTS_IN_FLIGHT = 4;
/** Batches of CHUNK_ROWS rows whose SKUs are being looked up while the validator reads on. */
const LOOKUPS_AHEAD = 2;

/**
 * Pass 2: every row against the rules and the catalogue; chunks of valid and of rejected rows. The
 * catalogue look-ups of one batch and the chunk writes run while the stream reads the next rows (bounded,
 * so memory stays flat), and batches are settled in file order, so the same file always gives the same
 * chunk objects.
 */
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

  // Writes in flight; the first failure is kept and thrown once the stream is read (never left unhandled).
  const writing = new Set<Promise<void>>();
  let writeFailure: { error: unknown } | undefined;
  const put = async (objectKey: string, rows: unknown[]) => {
    const write: Promise<void> = deps.objects.putJson(objectKey, { rows }).then(
      () => void writing.delete(write),
      (error: unknown) => {
        writing.delete(write);
        writeFailure ??= { error };
      },
    );
    writing.add(write);
    if (writing.size >= PUTS_IN_FLIGHT) await Promise.race(writing);
    if (writeFailure) throw writeFailure.error;
  };

  const rejectRow = async (row: RejectedRow) => {
    rejected++;
    // The first errors by line: unknown SKUs are settled a batch or two after the rows read past them.
    if (firstErrors.length < RECORD_ERRORS || row.line < firstErrors[firstErrors.length - 1]!.line) {
      firstErrors.push({ line: row.line, ...(row.column ? { column: row.column } : {}), reason: row.reason });
      firstErrors.sort((a, b) => a.line - b.line);
      if (firstErrors.length > RECORD_ERRORS) firstErrors.pop();
    }
    errorRows.push(row);
    if (errorRows.length >= CHUNK_ROWS) {
      await put(chunkKey(record.importId, 'errors', errorChunks++), errorRows);
      errorRows = [];
    }
  };

  const lookUp = async (rows: readonly CandidateRow[]): Promise<Map<string, string>> => {
    const skus = [...new Set(rows.map((r) => r.sku))];
    const batches: string[][] = [];
    for (let i = 0; i < skus.length; i += LOOKUP_BATCH) batches.push(skus.slice(i, i + LOOKUP_BATCH));
    const found = new Map<string, string>();
    for (let i = 0; i < batches.length; i += LOOKUP_PARALLEL) {
      const answers = await Promise.all(
        batches.slice(i, i + LOOKUP_PARALLEL).map((b) => deps.skus.productIds(b)),
      );
      for (const answer of answers) for (const [sku, productId] of answer) found.set(sku, productId);
    }
    return found;
  };

  // Batches looked up ahead, oldest first; each promise settles (a failure is rethrown when settled).
  const ahead: { rows: CandidateRow[]; found: Promise<{ ok: Map<string, string> } | { error: unknown }> }[] =
    [];
  const settleOldest = async () => {
    const { rows, found } = ahead.shift()!;
    const answer = await found;
    if ('error' in answer) throw answer.error;
    for (const row of rows) {
      const productId = answer.ok.get(row.sku);
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
        await put(chunkKey(record.importId, 'rows', chunks++), validRows);
        validRows = [];
      }
    }
  };
  let pending: CandidateRow[] = [];
  const lookUpPending = async () => {
    if (pending.length > 0) {
      const rows = pending;
      ahead.push({
        rows,
        found: lookUp(rows).then(
          (ok) => ({ ok }),
          (error: unknown) => ({ error }),
        ),
      });
      pending = [];
    }
    while (ahead.length > LOOKUPS_AHEAD) await settleOldest();
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
    if (pending.length >= CHUNK_ROWS) await lookUpPending();
  }
  await lookUpPending();
  while (ahead.length > 0) await settleOldest();
  if (validRows.length > 0) await put(chunkKey(record.importId, 'rows', chunks++), validRows);
  if (errorRows.length > 0) await put(chunkKey(record.importId, 'errors', errorChunks++), errorRows);
  await Promise.all(writing);
  if (writeFailure) throw writeFailure.error;
  return { valid, rejected, chunks, errorChunks, firstErrors };
}
