/**
 * Demo dark stores: five open round the clock in Bengaluru and Mumbai (3 km each), and one closed. Ids are
 * deterministic ULIDs (same on every machine and run), so docs and tests can name them.
 */
import { ROUND_THE_CLOCK } from '../../functions/stores/domain/hours';
import type { StoreStatus } from '../../functions/stores/domain/store';
import { deterministicUlid } from './catalog-data';

export const STORE_SEED_VERSION = 1;
const STORE_EPOCH = Date.UTC(2025, 5, 1);

export interface SeedStore {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly city: 'Bengaluru' | 'Mumbai';
  readonly lat: number;
  readonly lng: number;
  readonly radiusMetres: number;
  readonly prepMinutes: number;
  readonly status: StoreStatus;
  /** The demo staff and rider work here. */
  readonly demoStaff?: boolean;
}

const store = (i: number, s: Omit<SeedStore, 'id'>): SeedStore => ({
  ...s,
  id: deterministicUlid(STORE_EPOCH + i * 1000, `store:${s.key}`),
});

export const SEED_STORES: readonly SeedStore[] = [
  store(0, {
    key: 'koramangala',
    name: 'Zepto Koramangala',
    city: 'Bengaluru',
    lat: 12.9352,
    lng: 77.6245,
    radiusMetres: 3000,
    prepMinutes: 4,
    status: 'open',
    demoStaff: true,
  }),
  store(1, {
    key: 'indiranagar',
    name: 'Zepto Indiranagar',
    city: 'Bengaluru',
    lat: 12.9719,
    lng: 77.6412,
    radiusMetres: 3000,
    prepMinutes: 4,
    status: 'open',
  }),
  store(2, {
    key: 'hsr-layout',
    name: 'Zepto HSR Layout',
    city: 'Bengaluru',
    lat: 12.9116,
    lng: 77.6474,
    radiusMetres: 3000,
    prepMinutes: 5,
    status: 'open',
  }),
  store(3, {
    key: 'andheri-west',
    name: 'Zepto Andheri West',
    city: 'Mumbai',
    lat: 19.1364,
    lng: 72.8296,
    radiusMetres: 3000,
    prepMinutes: 4,
    status: 'open',
  }),
  store(4, {
    key: 'bandra-west',
    name: 'Zepto Bandra West',
    city: 'Mumbai',
    lat: 19.0596,
    lng: 72.8295,
    radiusMetres: 3000,
    prepMinutes: 5,
    status: 'open',
  }),
  store(5, {
    key: 'whitefield',
    name: 'Zepto Whitefield (closed)',
    city: 'Bengaluru',
    lat: 12.9698,
    lng: 77.75,
    radiusMetres: 3000,
    prepMinutes: 5,
    status: 'closed',
  }),
];

export const SEED_STORE_HOURS = ROUND_THE_CLOCK('Asia/Kolkata');

/** FNV-1a: a stable number in [0, 1) for a key. */
function unit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * Seeded stock of one product at one store: about 8% out of stock, 10% low (1 to 5 units), the rest 6 to
 * 150 units. Deterministic.
 */
export function seedQuantity(storeId: string, productId: string): number {
  const u = unit(`${storeId}:${productId}`);
  if (u < 0.08) return 0;
  if (u < 0.18) return 1 + Math.floor(unit(`low:${storeId}:${productId}`) * 5);
  return 6 + Math.floor(unit(`qty:${storeId}:${productId}`) * 145);
}
