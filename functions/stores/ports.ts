/** What the stores service's use cases need from outside; DynamoDB adapters implement them, unit tests fake them. */
import type { SavedLocation } from '#shared/published/saved-location';
import type { StaffRole, Store } from './domain/store';

export interface StorePage {
  readonly items: readonly Store[];
  /** Id of the last store returned when more may follow. */
  readonly next?: string;
}

/**
 * Stores and their H3 cell index. Writes are atomic: a store and its cell items change in one transaction,
 * so the index never points at a store for a cell it no longer covers.
 */
export interface StoreRepository {
  getStore(id: string): Promise<Store | undefined>;
  /** Adds the store and one index item per cell. */
  createStore(store: Store): Promise<void>;
  /**
   * Replaces `before` (same version, else 409; gone → 404) by `after`, deleting the index items of cells
   * `after` no longer has and adding those it gained.
   */
  updateStore(before: Store, after: Store): Promise<void>;
  listStores(page: { readonly limit: number; readonly after?: string }): Promise<StorePage>;
  /** Sets (or with `undefined` removes) one staff member; 404 if the store does not exist. */
  setStaff(storeId: string, userId: string, role: StaffRole | undefined, now: string): Promise<Store>;
  /** Ids of the stores indexed under a cell. */
  storesInCell(cell: string): Promise<string[]>;
  /** The stores with these ids that exist (any order). */
  getStores(ids: readonly string[]): Promise<Store[]>;
}

export interface StoreLoadReader {
  /** Orders counted for the store in the minutes `fromMinute`..`toMinute` (inclusive, `YYYY-MM-DDTHH:MM`). */
  ordersBetween(storeId: string, fromMinute: string, toMinute: string): Promise<number>;
}

export interface LocationRepository {
  save(location: SavedLocation): Promise<void>;
  get(userId: string): Promise<SavedLocation | undefined>;
}

export interface StoresDeps {
  readonly stores: StoreRepository;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Staff assignment: the user must exist and hold the role (identity's published `roles`). */
export interface StaffDeps extends StoresDeps {
  readonly users: { roles(userId: string): Promise<readonly string[] | undefined> };
}

export interface ServiceabilityDeps {
  readonly stores: Pick<StoreRepository, 'storesInCell' | 'getStores'>;
  readonly load: StoreLoadReader;
  readonly now: () => Date;
}

export interface LocationDeps extends ServiceabilityDeps {
  readonly locations: LocationRepository;
}
