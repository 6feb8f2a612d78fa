/**
 * The error report: one CSV line per rejected row, `line,column,sku,quantity,reason`. Spreadsheets run a
 * cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so such a cell is
 * prefixed with an apostrophe (OWASP's CSV injection advice); every cell is quoted as CSV needs.
 */
import type { RejectedRow } from './csv-rules';

export const REPORT_HEADER = 'line,column,sku,quantity,reason\r\n';
/** Echoed cells are cut to this length: the report names the row, it does not copy the file. */
export const MAX_ECHO = 100;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function csvCell(value: string): string {
  const safe = neutralise(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function reportLine(row: RejectedRow): string {
  return (
    [
      String(row.line),
      row.column ?? '',
      row.sku.slice(0, MAX_ECHO),
      row.quantity.slice(0, MAX_ECHO),
      row.reason,
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}
