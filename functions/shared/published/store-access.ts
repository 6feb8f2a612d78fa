/**
 * Published part of the Stores table's store item (ADR 9): written only by the stores service, read by the
 * inventory service to decide who may change a store's stock (its merchant and its store staff).
 *
 * Table `Stores` (pk/sk): a store is `{pk: 'STORE', sk: <storeId>}` with, among its other attributes,
 * `merchantId` (the owner's user id) and `staff`, a map of user id → `store_staff` | `delivery_partner`.
 */
export type StaffRole = 'store_staff' | 'delivery_partner';

export interface StoreAccess {
  readonly storeId: string;
  readonly merchantId: string;
  readonly staff: Readonly<Record<string, StaffRole>>;
}

export const STORE_PARTITION = 'STORE';
export const storeKey = (storeId: string) => ({ pk: STORE_PARTITION, sk: storeId });

/**
 * Stores that may serve customers (status `open` or `paused`): what the catalogue's cache warm-up reads to
 * warm each store's stock lines. A closed store is left out. Query `pk = STORE`, projecting these.
 */
export const STORE_DIRECTORY_ATTRIBUTES = ['sk', '#status'] as const;
export const isServingStoreItem = (item: Record<string, unknown>): boolean => item.status !== 'closed';

/** The attributes a reader of store access needs (a ProjectionExpression). */
export const STORE_ACCESS_ATTRIBUTES = ['sk', 'merchantId', 'staff'] as const;

export function storeAccessFromItem(item: Record<string, unknown>): StoreAccess {
  const staff: Record<string, StaffRole> = {};
  const raw = item.staff;
  if (raw && typeof raw === 'object') {
    for (const [userId, role] of Object.entries(raw as Record<string, unknown>)) {
      if (role === 'store_staff' || role === 'delivery_partner') staff[userId] = role;
    }
  }
  return { storeId: String(item.sk), merchantId: String(item.merchantId), staff };
}
