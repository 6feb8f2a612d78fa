/**
 * Item layout of the Stores table — the one place that knows it (the store key and its access attributes
 * are published in functions/shared/published/store-access.ts for the inventory service).
 *
 * | item        | pk            | sk          | attributes                                                        |
 * |-------------|---------------|-------------|-------------------------------------------------------------------|
 * | store       | `STORE`       | `<storeId>` | name, location, area, hours, prepMinutes, status, merchantId,     |
 * |             |               |             | staff (map userId → role), cells (list), createdAt, updatedAt, version |
 * | cell index  | `CELL#<h3>`   | `<storeId>` | storeId                                                           |
 *
 * Access patterns: one store → GetItem; every store, paged by id → Query pk = `STORE`; candidate stores of
 * a point → Query pk = `CELL#<cell of the point>`, then BatchGetItem of those stores. A store and its cell
 * items are written in one transaction; `version` is the optimistic lock of store edits.
 */
import { STORE_PARTITION, storeKey } from '#shared/published/store-access';
import type { StaffRole, Store } from '../domain/store';

export type Item = Record<string, unknown>;

export const keys = {
  store: storeKey,
  cell: (cell: string, storeId: string) => ({ pk: `CELL#${cell}`, sk: storeId }),
};
export { STORE_PARTITION };
export const cellPartition = (cell: string) => `CELL#${cell}`;

export const storeItem = (s: Store): Item => ({
  ...keys.store(s.id),
  entity: 'Store',
  id: s.id,
  name: s.name,
  location: s.location,
  area: s.area,
  hours: s.hours,
  prepMinutes: s.prepMinutes,
  status: s.status,
  merchantId: s.merchantId,
  staff: { ...s.staff },
  cells: [...s.cells],
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  version: s.version,
});

export const cellItem = (cell: string, storeId: string): Item => ({
  ...keys.cell(cell, storeId),
  entity: 'StoreCell',
  storeId,
});

export function storeFromItem(item: Item): Store {
  return {
    id: String(item.id),
    name: String(item.name),
    location: item.location as Store['location'],
    area: item.area as Store['area'],
    hours: item.hours as Store['hours'],
    prepMinutes: Number(item.prepMinutes),
    status: item.status as Store['status'],
    merchantId: String(item.merchantId),
    staff: (item.staff ?? {}) as Record<string, StaffRole>,
    cells: Array.isArray(item.cells) ? item.cells.map(String) : [],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}
