/**
 * Published layout of the InventoryAudit table (ADR 9): every change of a stock line, written in the same
 * transaction as the change, by the inventory service (API changes) and by the inventory imports.
 *
 * Table `InventoryAudit`: partition key `line` = `<storeId>#<productId>`, sort key `auditId` (a ULID, so
 * records sort by time): who (`userId`, `roles`), when (`at`), `before`, `after`, `change`, `reason`, and
 * for an import its `importId`. An import's record uses the import id as `auditId`, so one import writes at
 * most one record per line (put with `attribute_not_exists(line)`).
 */
export const auditLineKey = (storeId: string, productId: string) => `${storeId}#${productId}`;

export interface StockAuditState {
  readonly available: number;
  readonly reserved: number;
  readonly version: number;
}

export interface StockAuditRecord {
  readonly auditId: string;
  readonly storeId: string;
  readonly productId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly at: string;
  readonly reason: string;
  readonly change: { readonly set: number } | { readonly adjust: number };
  /** Absent when the line did not exist before (an import created it). */
  readonly before?: StockAuditState;
  readonly after: StockAuditState;
  readonly importId?: string;
}

export const stockAuditItem = (audit: StockAuditRecord): Record<string, unknown> => ({
  line: auditLineKey(audit.storeId, audit.productId),
  entity: 'StockAudit',
  ...audit,
});
