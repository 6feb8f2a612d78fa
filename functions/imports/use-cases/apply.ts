/**
 * The Tasks of the InventoryImport machine after validation: apply a chunk of rows, write the touched
 * lines through the cache, write the error report, record the outcome, record a failure.
 */
import { domainError } from '#shared/errors';
import { stockCacheEntry, type StockLine } from '#shared/published/stock';
import { finalStatus, reportKeyOf, type ImportCounts, type ImportStatus } from '../domain';
import {
  errorsChunkSchema,
  rowsChunkSchema,
  type ChunkResult,
  type ChunkTask,
  type Manifest,
  type RowsChunk,
} from '../machine';
import type { ApplyDeps, ImportDeps, ObjectStore, StockWrite, WarmDeps } from '../ports';
import { REPORT_HEADER, reportLine } from '../report';

/** Rows per transaction: each row is its line and its audit record (100 items, DynamoDB's limit). */
export const ROWS_PER_TRANSACTION = 50;
/** Transactions of one chunk in flight at once. */
const PARALLEL_TRANSACTIONS = 4;
/** Lost races (another writer changed a line between our read and our write) before giving up. */
export const MAX_ATTEMPTS = 10;

/** Too many writers raced this chunk's lines: nothing of the group was written, and retrying is safe. */
export class ImportContentionError extends domainError(409, 'Conflict', 'import-contention') {}

async function readChunk(objects: ObjectStore, key: string): Promise<RowsChunk> {
  return rowsChunkSchema.parse(await objects.getJson(key));
}

/**
 * Sets each row's line to its quantity, conditional on the line as read and on no newer import having
 * set it. A line this import already set counts as applied and is not written again, so a retried or
 * re-run chunk changes nothing; a line a newer import set is left alone (`superseded`).
 */
export async function applyChunk(deps: ApplyDeps, task: ChunkTask): Promise<ChunkResult> {
  const { rows } = await readChunk(deps.objects, task.chunkKey);
  const groups: RowsChunk['rows'][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION)
    groups.push(rows.slice(i, i + ROWS_PER_TRANSACTION));
  const total = { applied: 0, superseded: 0 };
  for (let i = 0; i < groups.length; i += PARALLEL_TRANSACTIONS) {
    const results = await Promise.all(
      groups.slice(i, i + PARALLEL_TRANSACTIONS).map((g) => applyGroup(deps, task, g)),
    );
    for (const r of results) {
      total.applied += r.applied;
      total.superseded += r.superseded;
    }
  }
  return total;
}

async function applyGroup(deps: ApplyDeps, task: ChunkTask, rows: RowsChunk['rows']): Promise<ChunkResult> {
  let applied = 0;
  let superseded = 0;
  let pending = rows;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await deps.backoff(attempt);
    const lines = await deps.stock.getLines(
      task.storeId,
      pending.map((r) => r.productId),
    );
    const now = deps.now();
    const writes: StockWrite[] = [];
    for (const row of pending) {
      const before = lines.get(row.productId);
      if (before?.importSequence !== undefined && before.importSequence >= task.sequence) {
        if (before.lastImportId === task.importId) applied++;
        else superseded++;
        continue;
      }
      const after: StockLine = {
        storeId: task.storeId,
        productId: row.productId,
        available: row.quantity,
        reserved: before?.reserved ?? 0,
        version: (before?.version ?? 0) + 1,
        updatedAt: now,
      };
      const state = (l: StockLine) => ({ available: l.available, reserved: l.reserved, version: l.version });
      writes.push({
        ...(before ? { before } : {}),
        after,
        sequence: task.sequence,
        importId: task.importId,
        audit: {
          auditId: task.importId,
          storeId: task.storeId,
          productId: row.productId,
          userId: task.merchantId,
          roles: ['merchant'],
          at: now,
          reason: row.reason ?? `Inventory import ${task.importId} (line ${row.line})`,
          change: { set: row.quantity },
          ...(before ? { before: state(before) } : {}),
          after: state(after),
          importId: task.importId,
        },
      });
    }
    if (writes.length === 0) return { applied, superseded };
    const outcome = await deps.stock.write(writes);
    if (outcome.written) return { applied: applied + writes.length, superseded };
    // Nothing was written: the lines are read again and decided again (counted afresh).
    pending = writes.map((w) => rows.find((r) => r.productId === w.after.productId)!);
  }
  throw new ImportContentionError(
    `The stock of store ${task.storeId} kept changing while the import wrote it; the chunk was not applied.`,
  );
}

/** Write-through of the chunk's lines as they are now (whichever import or change set them last). */
export async function warmChunk(deps: WarmDeps, task: ChunkTask): Promise<{ cached: number }> {
  if (!deps.cache.enabled) return { cached: 0 };
  const { rows } = await readChunk(deps.objects, task.chunkKey);
  const lines = await deps.stock.getLines(
    task.storeId,
    rows.map((r) => r.productId),
  );
  const items = [...lines.values()].map((l) => ({
    entry: stockCacheEntry(l.storeId, l.productId),
    value: {
      storeId: l.storeId,
      productId: l.productId,
      available: l.available,
      reserved: l.reserved,
      version: l.version,
      updatedAt: l.updatedAt,
    } satisfies StockLine,
  }));
  if (items.length > 0) await deps.cache.set(items);
  return { cached: items.length };
}

/** Every rejected row, in line order, next to the upload; none written when no row was rejected. */
export async function writeReport(
  deps: Pick<ApplyDeps, 'objects'>,
  manifest: Manifest,
): Promise<{ reportKey: string | null }> {
  if (manifest.errorChunks.length === 0) return { reportKey: null };
  const rows = [];
  for (const key of manifest.errorChunks)
    rows.push(...errorsChunkSchema.parse(await deps.objects.getJson(key)).rows);
  rows.sort((a, b) => a.line - b.line);
  const reportKey = reportKeyOf(manifest.objectKey, manifest.importId);
  // A BOM, so spreadsheets read the report as UTF-8.
  await deps.objects.putText(
    reportKey,
    '\uFEFF' + REPORT_HEADER + rows.map(reportLine).join(''),
    'text/csv; charset=utf-8',
  );
  return { reportKey };
}

export async function completeImport(
  deps: ImportDeps,
  input: Manifest & {
    readonly results: readonly ChunkResult[];
    readonly report: { readonly reportKey: string | null };
  },
): Promise<{
  importId: string;
  storeId: string;
  merchantId: string;
  status: ImportStatus;
  counts: ImportCounts;
  reportKey: string | null;
}> {
  const counts: ImportCounts = {
    ...input.counts,
    applied: input.results.reduce((n, r) => n + r.applied, 0),
    superseded: input.results.reduce((n, r) => n + r.superseded, 0),
  };
  const status = finalStatus(counts);
  await deps.imports.complete(input.importId, {
    status,
    counts,
    ...(input.report.reportKey ? { reportKey: input.report.reportKey } : {}),
    now: deps.now(),
  });
  return {
    importId: input.importId,
    storeId: input.storeId,
    merchantId: input.merchantId,
    status,
    counts,
    reportKey: input.report.reportKey,
  };
}

/** The reason a merchant reads: what failed, never a stack or an internal message. */
export function failureReason(error: string): string {
  if (error === 'States.Timeout') return 'The import took too long and was stopped; upload the file again.';
  if (error === ImportContentionError.name || error === 'ImportContentionError')
    return 'The stock kept changing while the import wrote it; upload the file again.';
  return `The import failed because of an internal error (${error.slice(0, 80)}); upload the file again.`;
}

export async function failImport(
  deps: ImportDeps,
  input: {
    readonly importId: string;
    readonly storeId: string;
    readonly merchantId: string;
    readonly error: { readonly Error: string };
  },
): Promise<{ importId: string; storeId: string; merchantId: string; status: 'FAILED'; reason: string }> {
  const reason = failureReason(input.error.Error);
  await deps.imports.fail(input.importId, reason, deps.now());
  return {
    importId: input.importId,
    storeId: input.storeId,
    merchantId: input.merchantId,
    status: 'FAILED',
    reason,
  };
}
