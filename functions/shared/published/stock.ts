/**
 * Published item layout of the Inventory table (ADR 9): written only by the inventory service, read by the
 * catalogue (availability on product pages and listings). Changing this file changes a contract between
 * services; keep it backwards compatible.
 *
 * Table `Inventory`: partition key `storeId` (S), sort key `productId` (S). One item per store × product:
 * `{storeId, productId, available, reserved, version, updatedAt}`. `available` are the sellable units on the
 * shelf (not held by any order), `reserved` the units held for unpaid orders; neither is ever negative.
 * `version` starts at 1 and grows by one with every change. The local seed keeps a marker at
 * `{storeId: 'SEED', productId: 'inventory'}` (never a ULID, so never a real line).
 *
 * Writers: the inventory service (stock changes through the API) and the inventory imports (a merchant's
 * CSV sets `available`, and creates lines the store did not have). A line an import set also carries
 * `importSequence` and `lastImportId` (`IMPORT_ATTRIBUTES`): an import writes a line only while its own
 * sequence is greater than the one stored, so an older import never overwrites a newer one, and a line
 * that already carries the import's own id was applied by it (a re-applied batch changes nothing). API
 * changes keep both attributes (they update `available`, `version`, `updatedAt` only). Every write goes
 * with an audit record (stock-audit.ts) in the same transaction.
 */
import type { CacheEntry } from '../cache/port';

export interface StockLine {
  readonly storeId: string;
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly version: number;
  readonly updatedAt: string;
}

export const stockKey = (storeId: string, productId: string) => ({ storeId, productId });

/**
 * The ordering attributes an import leaves on a line. `importSequence` is `<upload time ISO 8601>#<importId>`:
 * fixed-width, so it compares as a string in a condition expression (later upload = greater; the import
 * id breaks ties); `lastImportId` is the import that last set the line.
 */
export const IMPORT_ATTRIBUTES = { sequence: 'importSequence', importId: 'lastImportId' } as const;

/** What an import needs to know of a line before writing it: the line and the import that last set it. */
export interface ImportedStockLine extends StockLine {
  readonly importSequence?: string;
  readonly lastImportId?: string;
}

export const importedStockFromItem = (item: Record<string, unknown>): ImportedStockLine => ({
  ...stockFromItem(item),
  ...(typeof item.importSequence === 'string' ? { importSequence: item.importSequence } : {}),
  ...(typeof item.lastImportId === 'string' ? { lastImportId: item.lastImportId } : {}),
});

/**
 * The cache entry of one line (functions/shared/cache): written through by the inventory service after
 * every successful change, read by the catalogue's product page. The conditional write in DynamoDB stays
 * the only check that moves stock; the cached line is only ever shown.
 */
export const stockCacheEntry = (storeId: string, productId: string): CacheEntry => ({
  key: `inventory:${storeId}:${productId}`,
  kind: 'inventory',
});

export const stockItem = (line: StockLine): Record<string, unknown> => ({
  storeId: line.storeId,
  productId: line.productId,
  available: line.available,
  reserved: line.reserved,
  version: line.version,
  updatedAt: line.updatedAt,
});

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export const stockFromItem = (item: Record<string, unknown>): StockLine => ({
  storeId: String(item.storeId),
  productId: String(item.productId),
  available: num(item.available),
  reserved: num(item.reserved),
  version: num(item.version),
  updatedAt: String(item.updatedAt),
});

/**
 * At most this many sellable units is "low stock": the product page shows the exact quantity ("only 3
 * left") only then. Sellable = `available` (reserved units are already promised to someone).
 */
export const LOW_STOCK_THRESHOLD = 5;

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

export interface Availability {
  readonly storeId: string;
  readonly status: StockStatus;
  /** Only when `low_stock`. */
  readonly quantity?: number;
}

/** What a customer sees about one product at one store; no line at all is out of stock. */
export function availabilityOf(storeId: string, line: StockLine | undefined): Availability {
  const sellable = line?.available ?? 0;
  if (sellable <= 0) return { storeId, status: 'out_of_stock' };
  if (sellable <= LOW_STOCK_THRESHOLD) return { storeId, status: 'low_stock', quantity: sellable };
  return { storeId, status: 'in_stock' };
}
