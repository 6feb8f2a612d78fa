/** In-memory stores, cell index, load counters and saved locations with the adapters' guarantees. */
import { storeErrors, type StaffRole, type Store } from '../../../functions/stores/domain/store';
import type {
  LocationRepository,
  StoreLoadReader,
  StorePage,
  StoreRepository,
} from '../../../functions/stores/ports';
import type { SavedLocation } from '../../../functions/shared/published/saved-location';

export class FakeStoreRepository implements StoreRepository {
  readonly stores = new Map<string, Store>();
  /** cell → store ids */
  readonly index = new Map<string, Set<string>>();

  async getStore(id: string) {
    return this.stores.get(id);
  }
  async createStore(store: Store) {
    if (this.stores.has(store.id)) throw storeErrors.changedMeanwhile();
    this.stores.set(store.id, store);
    for (const c of store.cells) this.cellSet(c).add(store.id);
  }
  async updateStore(before: Store, after: Store) {
    const current = this.stores.get(before.id);
    if (!current) throw storeErrors.notFound(before.id);
    if (current.version !== before.version) throw storeErrors.changedMeanwhile();
    for (const c of before.cells) this.cellSet(c).delete(before.id);
    for (const c of after.cells) this.cellSet(c).add(after.id);
    this.stores.set(after.id, after);
  }
  async listStores(page: { limit: number; after?: string }): Promise<StorePage> {
    const all = [...this.stores.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const rest = all.filter((s) => page.after === undefined || s.id > page.after);
    const items = rest.slice(0, page.limit);
    return { items, next: rest.length > page.limit ? items.at(-1)?.id : undefined };
  }
  async setStaff(storeId: string, userId: string, role: StaffRole | undefined, now: string) {
    const s = this.stores.get(storeId);
    if (!s) throw storeErrors.notFound(storeId);
    const staff = { ...s.staff };
    if (role) staff[userId] = role;
    else delete staff[userId];
    const next = { ...s, staff, updatedAt: now, version: s.version + 1 };
    this.stores.set(storeId, next);
    return next;
  }
  async storesInCell(cell: string) {
    return [...(this.index.get(cell) ?? [])];
  }
  async getStores(ids: readonly string[]) {
    return ids.map((id) => this.stores.get(id)).filter((s): s is Store => s !== undefined);
  }
  private cellSet(cell: string) {
    let set = this.index.get(cell);
    if (!set) this.index.set(cell, (set = new Set()));
    return set;
  }
}

export class FakeLoad implements StoreLoadReader {
  readonly counts = new Map<string, number>(); // `${storeId}|${minute}`
  async ordersBetween(storeId: string, from: string, to: string) {
    let sum = 0;
    for (const [key, n] of this.counts) {
      const [s, m] = key.split('|') as [string, string];
      if (s === storeId && m >= from && m <= to) sum += n;
    }
    return sum;
  }
}

export class FakeLocations implements LocationRepository {
  readonly saved = new Map<string, SavedLocation>();
  async save(l: SavedLocation) {
    this.saved.set(l.userId, l);
  }
  async get(userId: string) {
    return this.saved.get(userId);
  }
}
