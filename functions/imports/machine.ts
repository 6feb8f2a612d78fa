/**
 * The InventoryImport state machine's data (statemachines/inventory-import.asl.json): the execution input
 * the validator starts it with, and what each Task receives. Task handlers parse their input with these
 * schemas, so a change to the ASL that breaks a Task's input fails loudly, into FAILED.
 */
import * as z from 'zod/mini';
import { chunkKey, type ImportRecord } from './domain';

const id = z.string().check(z.minLength(1), z.maxLength(64));
const count = z.number().check(z.int(), z.gte(0));

export const manifestSchema = z.object({
  importId: id,
  storeId: id,
  merchantId: id,
  objectKey: z.string().check(z.minLength(1)),
  sequence: z.string().check(z.minLength(1)),
  chunks: z.array(z.string()),
  errorChunks: z.array(z.string()),
  counts: z.object({ rows: count, valid: count, rejected: count }),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The execution input is a function of the import record, so a restarted validator sends the same one. */
export function manifestOf(record: ImportRecord): Manifest {
  return {
    importId: record.importId,
    storeId: record.storeId,
    merchantId: record.merchantId,
    objectKey: record.objectKey,
    sequence: record.sequence ?? '',
    chunks: Array.from({ length: record.chunks ?? 0 }, (_, i) => chunkKey(record.importId, 'rows', i)),
    errorChunks: Array.from({ length: record.errorChunks ?? 0 }, (_, i) =>
      chunkKey(record.importId, 'errors', i),
    ),
    counts: { rows: record.counts.rows, valid: record.counts.valid, rejected: record.counts.rejected },
  };
}

/** One Map iteration (ItemSelector): a chunk of valid rows. */
export const chunkTaskSchema = z.object({
  importId: id,
  storeId: id,
  merchantId: id,
  sequence: z.string().check(z.minLength(1)),
  chunkKey: z.string().check(z.minLength(1)),
});
export type ChunkTask = z.infer<typeof chunkTaskSchema>;

export const chunkResultSchema = z.object({ applied: count, superseded: count });
export type ChunkResult = z.infer<typeof chunkResultSchema>;

/** WriteImportReport: the manifest. CompleteImport: the manifest with the Map's results and the report. */
export const completeTaskSchema = z.object({
  ...manifestSchema.shape,
  results: z.array(chunkResultSchema),
  report: z.object({ reportKey: z.nullable(z.string()) }),
});

/** FailImport: whatever input the failing state had, and the caught error (`ResultPath: $.error`). */
export const failTaskSchema = z.object({
  importId: id,
  storeId: id,
  merchantId: id,
  error: z._default(
    z.object({ Error: z._default(z.string(), 'States.Unknown'), Cause: z.optional(z.string()) }),
    { Error: 'States.Unknown' },
  ),
});

/** One chunk object: valid rows with their product ids (written by the validator, read by the machine). */
export const rowsChunkSchema = z.object({
  rows: z.array(
    z.object({
      line: count,
      sku: z.string(),
      productId: id,
      quantity: count,
      reason: z.optional(z.string()),
    }),
  ),
});
export type RowsChunk = z.infer<typeof rowsChunkSchema>;

export const errorsChunkSchema = z.object({
  rows: z.array(
    z.object({
      line: count,
      column: z.optional(z.string()),
      reason: z.string(),
      sku: z.string(),
      quantity: z.string(),
    }),
  ),
});

/** NotifyImport: what RecordResult or RecordFailure answered. */
export const notifyTaskSchema = z.object({
  importId: id,
  storeId: id,
  merchantId: id,
  status: z.enum(['SUCCEEDED', 'PARTIALLY_APPLIED', 'FAILED']),
  counts: z.optional(
    z.object({ rows: count, valid: count, applied: count, superseded: count, rejected: count }),
  ),
  reportKey: z.optional(z.nullable(z.string())),
  reason: z.optional(z.string()),
});
export type NotifyTask = z.infer<typeof notifyTaskSchema>;
