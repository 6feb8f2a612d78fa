/** Inventory rules: per store × product, `available` and `reserved` never negative; who may change them. */
import {
  ConflictError,
  domainError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
} from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { StoreAccess } from '#shared/published/store-access';
import type { StockLine } from '#shared/published/stock';

export type { StockLine } from '#shared/published/stock';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** The most units one line may hold. */
export const MAX_UNITS = 1_000_000;

/** Too many concurrent writers of one line won the race before us: nothing was written; retrying is safe. */
export class ContentionError extends domainError(409, 'Conflict', 'contention') {}

export type StockChange = { readonly set: number } | { readonly adjust: number };

export const inventoryErrors = {
  storeNotFound: (id: string) => new NotFoundError(`No store ${id}.`),
  lineNotFound: (storeId: string, productId: string) =>
    new NotFoundError(`Store ${storeId} does not stock product ${productId}.`),
  forbidden: () =>
    new ForbiddenError("Only the store's own staff, its merchant and admins may see or change its stock."),
  insufficient: (available: number) =>
    new ConflictError(`Not enough stock: only ${available} available, the change would make it negative.`),
  tooMuch: () => new ConflictError(`A line may hold at most ${MAX_UNITS} units.`),
  stale: (version: number) =>
    new PreconditionFailedError(`The stock changed since (it is now at version ${version}); read it again.`),
  contention: () =>
    new ContentionError(
      'The stock is being changed by many requests at once; nothing was changed, try again.',
    ),
};

/**
 * Who may read and change a store's stock: admins; the merchant who owns the store; users assigned to the
 * store as `store_staff` (delivery partners assigned to it may not). The role must also be the caller's.
 */
export function mayManageStock(caller: Caller, store: StoreAccess): boolean {
  if (caller.roles.includes('admin')) return true;
  if (caller.roles.includes('merchant') && store.merchantId === caller.userId) return true;
  return caller.roles.includes('store_staff') && store.staff[caller.userId] === 'store_staff';
}

/** The line after the change; throws 409 if it would go negative or above MAX_UNITS. */
export function applyChange(line: StockLine, change: StockChange, now: string): StockLine {
  const available = 'set' in change ? change.set : line.available + change.adjust;
  if (available < 0) throw inventoryErrors.insufficient(line.available);
  if (available > MAX_UNITS) throw inventoryErrors.tooMuch();
  return { ...line, available, version: line.version + 1, updatedAt: now };
}

export interface AuditRecord {
  readonly auditId: string;
  readonly storeId: string;
  readonly productId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly at: string;
  readonly reason: string;
  readonly change: StockChange;
  readonly before: { readonly available: number; readonly reserved: number; readonly version: number };
  readonly after: { readonly available: number; readonly reserved: number; readonly version: number };
}

/** `If-Match: 3`, `"3"` or `W/"3"` → 3. */
export const parseIfMatch = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value.replace(/^W\//, '').replaceAll('"', ''));
