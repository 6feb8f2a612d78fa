/**
 * The format of an inventory CSV: the header and the rules of one row. Pure functions; the streaming and
 * the catalogue lookups are in use-cases/validate.ts.
 */
import { SKU_PATTERN } from '#shared/published/product-sku';
import { MAX_QUANTITY, MAX_REASON_LENGTH, type RowError } from './domain';

export const REQUIRED_COLUMNS = ['sku', 'quantity'] as const;
export const OPTIONAL_COLUMNS = ['reason'] as const;
const KNOWN: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

export interface Header {
  /** Column index of each known column. */
  readonly sku: number;
  readonly quantity: number;
  readonly reason?: number;
  readonly width: number;
}

/** The header row → the column positions, or why the file is unusable. */
export function parseHeader(cells: readonly string[]): { header: Header } | { rejected: string } {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (names.every((n) => n === '')) return { rejected: 'The file has no header row.' };
  const unknown = names.filter((n) => !KNOWN.includes(n));
  if (unknown.length > 0) {
    const shown = unknown.map((n, i) => (n === '' ? `(unnamed column ${i + 1})` : `"${printable(n)}"`));
    return {
      rejected: `Unknown column${unknown.length > 1 ? 's' : ''} ${shown.join(', ')}: only sku, quantity and reason are allowed.`,
    };
  }
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) return { rejected: `Column "${twice[0]}" appears twice in the header.` };
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    return { rejected: `Missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` };
  const reason = names.indexOf('reason');
  return {
    header: {
      sku: names.indexOf('sku'),
      quantity: names.indexOf('quantity'),
      ...(reason >= 0 ? { reason } : {}),
      width: names.length,
    },
  };
}

/** A row of only empty cells (`,,`) counts as a blank line. */
export const isBlankRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

export interface CandidateRow {
  readonly line: number;
  readonly sku: string;
  readonly quantity: number;
  readonly reason?: string;
}

export interface RejectedRow extends RowError {
  /** The cells as the file had them (neutralised when written to the report). */
  readonly sku: string;
  readonly quantity: string;
}

const QUANTITY = /^\d{1,6}$/;
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** One data row → a candidate (the SKU still to be found in the catalogue) or its first problem. */
export function checkRow(header: Header, cells: readonly string[], line: number): CandidateRow | RejectedRow {
  const sku = (cells[header.sku] ?? '').trim();
  const quantityCell = (cells[header.quantity] ?? '').trim();
  const reject = (reason: string, column?: string): RejectedRow => ({
    line,
    ...(column ? { column } : {}),
    reason,
    sku: cells[header.sku] ?? '',
    quantity: cells[header.quantity] ?? '',
  });
  if (cells.length !== header.width)
    return reject(`Expected ${header.width} cells as in the header, found ${cells.length}.`);
  if (sku === '') return reject('The SKU is missing.', 'sku');
  if (!SKU_PATTERN.test(sku))
    return reject('Not a SKU: 3 to 32 upper-case letters, digits or hyphens.', 'sku');
  if (quantityCell === '') return reject('The quantity is missing.', 'quantity');
  if (!QUANTITY.test(quantityCell) || Number(quantityCell) > MAX_QUANTITY)
    return reject(`The quantity must be a whole number from 0 to ${MAX_QUANTITY}.`, 'quantity');
  const reasonCell = header.reason === undefined ? '' : (cells[header.reason] ?? '').trim();
  if (reasonCell.length > MAX_REASON_LENGTH)
    return reject(`The reason may be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
  if (CONTROL.test(reasonCell)) return reject('The reason may not contain control characters.', 'reason');
  return { line, sku, quantity: Number(quantityCell), ...(reasonCell ? { reason: reasonCell } : {}) };
}

export const isRejected = (row: CandidateRow | RejectedRow): row is RejectedRow =>
  typeof row.quantity === 'string';

/** Every occurrence of a SKU that appears on more than one line is rejected, naming all its lines. */
export function duplicateReason(sku: string, lines: readonly number[]): string {
  const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ` and ${lines.length - 5} more` : '');
  return `The SKU ${sku} appears more than once (lines ${shown}): each SKU may appear once per file.`;
}

function printable(value: string): string {
  return value.replace(/[\p{Cc}\p{Cs}"]/gu, '?').slice(0, 40);
}
