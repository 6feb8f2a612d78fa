import { ulid } from 'ulid';
import {
  applyChange,
  mayManageStock,
  parseIfMatch,
  type AuditRecord,
  type StockLine,
} from '../../../functions/inventory/domain';
import { changeStock, getLine, listLines } from '../../../functions/inventory/use-cases/stock';
import type { InventoryDeps, InventoryRepository } from '../../../functions/inventory/ports';
import type { StoreAccess } from '../../../functions/shared/published/store-access';
import { passThroughCache, type Cache } from '../../../functions/shared/cache/port';
import { availabilityOf, stockCacheEntry } from '../../../functions/shared/published/stock';
import type { Role } from '../../../functions/shared/http/route';

const STORE = ulid();
const OTHER_STORE = ulid();
const PRODUCT = ulid();
const MERCHANT = 'merchant-1';
const STAFF = 'staff-1';
const RIDER = 'rider-1';

class FakeInventory implements InventoryRepository {
  readonly lines = new Map<string, StockLine>();
  readonly audit: AuditRecord[] = [];
  /** Called before each write: a test can play a concurrent change here. */
  beforeWrite?: () => void;
  async getLine(storeId: string, productId: string) {
    return this.lines.get(`${storeId}|${productId}`);
  }
  async listLines(storeId: string, page: { limit: number; after?: string }) {
    const all = [...this.lines.values()]
      .filter((l) => l.storeId === storeId)
      .sort((a, b) => (a.productId < b.productId ? -1 : 1));
    const rest = all.filter((l) => page.after === undefined || l.productId > page.after);
    const items = rest.slice(0, page.limit);
    return { items, next: rest.length > page.limit ? items.at(-1)?.productId : undefined };
  }
  async writeChange(before: StockLine, after: StockLine, audit: AuditRecord) {
    this.beforeWrite?.();
    const key = `${before.storeId}|${before.productId}`;
    const current = this.lines.get(key);
    if (!current || current.version !== before.version)
      return { written: false as const, current: current ?? null };
    this.lines.set(key, after);
    this.audit.push(audit);
    return { written: true as const };
  }
}

function setup(available = 10) {
  const inventory = new FakeInventory();
  const line: StockLine = {
    storeId: STORE,
    productId: PRODUCT,
    available,
    reserved: 2,
    version: 1,
    updatedAt: 't0',
  };
  inventory.lines.set(`${STORE}|${PRODUCT}`, line);
  const access = new Map<string, StoreAccess>([
    [
      STORE,
      {
        storeId: STORE,
        merchantId: MERCHANT,
        staff: { [STAFF]: 'store_staff', [RIDER]: 'delivery_partner' },
      },
    ],
    [OTHER_STORE, { storeId: OTHER_STORE, merchantId: 'merchant-2', staff: {} }],
  ]);
  const cached: { key: string; value: unknown }[] = [];
  const cache: Cache = {
    ...passThroughCache,
    enabled: true,
    set: async (items) => {
      for (const { entry, value } of items) cached.push({ key: entry.key, value });
      return true;
    },
  };
  const deps: InventoryDeps = {
    inventory,
    stores: { getAccess: async (id) => access.get(id) },
    cache,
    now: () => '2026-12-01T00:00:00.000Z',
    newId: () => ulid(),
    backoff: async () => undefined,
  };
  return { deps, inventory, cached };
}

const who = (userId: string, ...roles: Role[]) => ({ userId, username: userId, roles });
const change = (c: { set: number } | { adjust: number }, storeId = STORE) => ({
  storeId,
  productId: PRODUCT,
  change: c,
  reason: 'count',
});

describe('who may manage stock', () => {
  const store: StoreAccess = {
    storeId: STORE,
    merchantId: MERCHANT,
    staff: { [STAFF]: 'store_staff', [RIDER]: 'delivery_partner' },
  };
  it.each([
    ['an admin', who('a', 'admin'), true],
    ['the owning merchant', who(MERCHANT, 'merchant'), true],
    ['another merchant', who('m2', 'merchant'), false],
    ['its store staff', who(STAFF, 'store_staff'), true],
    ['its staff without the store_staff role', who(STAFF, 'customer'), false],
    ['a delivery partner assigned to it', who(RIDER, 'delivery_partner', 'store_staff'), false],
    ['staff of another store', who('s2', 'store_staff'), false],
    ['a customer', who('c', 'customer'), false],
  ])('%s: %s', (_l, caller, ok) => {
    expect(mayManageStock(caller, store)).toBe(ok);
  });

  it('refuses staff of store A on store B (403) and answers 404 for an unknown store', async () => {
    const { deps } = setup();
    await expect(getLine(deps, who(STAFF, 'store_staff'), OTHER_STORE, PRODUCT)).rejects.toMatchObject({
      status: 403,
    });
    await expect(getLine(deps, who('a', 'admin'), ulid(), PRODUCT)).rejects.toMatchObject({ status: 404 });
    await expect(getLine(deps, who('a', 'admin'), STORE, ulid())).rejects.toMatchObject({ status: 404 });
  });
});

describe('changing stock', () => {
  it('sets and adjusts, bumping the version and auditing before and after', async () => {
    const { deps, inventory } = setup();
    const staff = who(STAFF, 'store_staff');
    expect(await changeStock(deps, staff, change({ adjust: -3 }))).toMatchObject({
      available: 7,
      reserved: 2,
      version: 2,
    });
    expect(await changeStock(deps, staff, change({ set: 40 }))).toMatchObject({ available: 40, version: 3 });
    expect(inventory.audit.map((a) => [a.before.available, a.after.available, a.userId, a.reason])).toEqual([
      [10, 7, STAFF, 'count'],
      [7, 40, STAFF, 'count'],
    ]);
  });

  it('writes every stored change through to the cache entry the product page reads', async () => {
    const { deps, cached } = setup();
    const line = await changeStock(deps, who(STAFF, 'store_staff'), change({ adjust: -4 }));
    expect(cached).toEqual([{ key: stockCacheEntry(STORE, PRODUCT).key, value: line }]);
  });

  it('refuses to go negative with 409 and writes nothing, to the table or the cache', async () => {
    const { deps, inventory, cached } = setup(2);
    await expect(changeStock(deps, who('a', 'admin'), change({ adjust: -3 }))).rejects.toMatchObject({
      status: 409,
    });
    expect(inventory.audit).toEqual([]);
    expect(cached).toEqual([]);
    expect(applyChange.length).toBe(3);
  });

  it('answers 412 when If-Match names another version', async () => {
    const { deps } = setup();
    await expect(
      changeStock(deps, who('a', 'admin'), { ...change({ set: 1 }), ifMatch: 7 }),
    ).rejects.toMatchObject({ status: 412 });
    expect(await changeStock(deps, who('a', 'admin'), { ...change({ set: 1 }), ifMatch: 1 })).toMatchObject({
      version: 2,
    });
  });

  it('re-reads after a lost race and applies the change to the new count (nothing lost)', async () => {
    const { deps, inventory } = setup(10);
    let raced = false;
    inventory.beforeWrite = () => {
      if (raced) return;
      raced = true;
      const key = `${STORE}|${PRODUCT}`;
      const l = inventory.lines.get(key)!;
      inventory.lines.set(key, { ...l, available: l.available - 4, version: l.version + 1 });
    };
    expect(await changeStock(deps, who('a', 'admin'), change({ adjust: -5 }))).toMatchObject({
      available: 1,
      version: 3,
    });
  });

  it('stops retrying lost races at the time limit with 409 contention, writing nothing', async () => {
    const { deps, inventory } = setup(10);
    let writes = 0;
    inventory.beforeWrite = () => {
      writes++;
      const key = `${STORE}|${PRODUCT}`;
      const l = inventory.lines.get(key)!;
      inventory.lines.set(key, { ...l, version: l.version + 1 });
    };
    // deps.now() is past the limit: the first attempt runs, no retry does.
    const retryUntil = Date.parse(deps.now()) - 1;
    await expect(
      changeStock(deps, who('a', 'admin'), { ...change({ adjust: 1 }), retryUntil }),
    ).rejects.toMatchObject({ status: 409, code: 'contention' });
    expect(writes).toBe(1);
    expect(inventory.audit).toHaveLength(0);
    expect(inventory.lines.get(`${STORE}|${PRODUCT}`)).toMatchObject({ available: 10 });
  });

  it('with If-Match, a lost race is a 412, not a retry', async () => {
    const { deps, inventory } = setup(10);
    inventory.beforeWrite = () => {
      const key = `${STORE}|${PRODUCT}`;
      const l = inventory.lines.get(key)!;
      inventory.lines.set(key, { ...l, version: l.version + 1 });
      inventory.beforeWrite = undefined;
    };
    await expect(
      changeStock(deps, who('a', 'admin'), { ...change({ adjust: 1 }), ifMatch: 1 }),
    ).rejects.toMatchObject({ status: 412 });
  });

  it('pages a store listing with a cursor scoped to the store', async () => {
    const { deps, inventory } = setup();
    for (let i = 0; i < 4; i++) {
      const productId = ulid();
      inventory.lines.set(`${STORE}|${productId}`, {
        storeId: STORE,
        productId,
        available: i,
        reserved: 0,
        version: 1,
        updatedAt: 't',
      });
    }
    const admin = who('a', 'admin');
    const first = await listLines(deps, admin, { storeId: STORE, limit: 3 });
    const second = await listLines(deps, admin, { storeId: STORE, limit: 3, cursor: first.nextCursor! });
    expect(first.items.length + second.items.length).toBe(5);
    expect(second.nextCursor).toBeNull();
    await expect(
      listLines(deps, admin, { storeId: OTHER_STORE, limit: 3, cursor: first.nextCursor! }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('reads If-Match in its three spellings', () => {
    expect([parseIfMatch('3'), parseIfMatch('"3"'), parseIfMatch('W/"3"'), parseIfMatch(undefined)]).toEqual([
      3,
      3,
      3,
      undefined,
    ]);
  });
});

describe('availability', () => {
  it('is in stock above the low threshold, low with the quantity up to 5, out at 0 or without a line', () => {
    const line = (available: number): StockLine => ({
      storeId: STORE,
      productId: PRODUCT,
      available,
      reserved: 0,
      version: 1,
      updatedAt: 't',
    });
    expect(availabilityOf(STORE, line(6))).toEqual({ storeId: STORE, status: 'in_stock' });
    expect(availabilityOf(STORE, line(5))).toEqual({ storeId: STORE, status: 'low_stock', quantity: 5 });
    expect(availabilityOf(STORE, line(1))).toEqual({ storeId: STORE, status: 'low_stock', quantity: 1 });
    expect(availabilityOf(STORE, line(0))).toEqual({ storeId: STORE, status: 'out_of_stock' });
    expect(availabilityOf(STORE, undefined)).toEqual({ storeId: STORE, status: 'out_of_stock' });
  });
});
