/**
 * Serviceability lookups per second, with the seeded stores and with 5,000 more: GET /v1/serviceability
 * through the local gateway at 1 and 16 connections (node:http keep-alive closed loop, sub-millisecond
 * timing), over a fixed set of points inside and outside the seeded service areas. Then 5,000 generated
 * stores (3 km radius, open round the clock, at seeded-random points over India's bounding box) go into
 * the platform's Stores table through the stores service's own repository, and the same runs repeat. A
 * lookup reads one H3 cell's index partition and the stores in it, so the rate must not fall with the
 * store count. Called by bench/run.ts on its running platform (before it stops); returns a Markdown section.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStoreRepository } from '../functions/stores/adapters/dynamodb-stores';
import { coveringCells } from '../functions/stores/domain/cells';
import { covers } from '../functions/stores/domain/geo';
import type { LatLng, Store } from '../functions/stores/domain/store';
import { localDynamoDb } from '../local/engines/clients';
import type { Platform } from '../local/platform';
import { deterministicUlid } from '../local/seed/catalog-data';
import { SEED_STORE_HOURS } from '../local/seed/stores-data';
import { httpLoop, type HttpLoopSummary } from './http-loop';

export interface ServiceabilityBenchOptions {
  readonly platform: Platform;
  /** Length of each load run. */
  readonly seconds: number;
  readonly log: (line: string) => void;
}

const GENERATED_STORES = 5000;
const WRITE_CONCURRENCY = 16;
const CONNECTIONS = [1, 16] as const;
const RADIUS_METRES = 3000;
const WARM_UP_SECONDS = 8;
/** Generated stores' merchant: a fixed UUID (no account behind it; lookups do not read it). */
const BENCH_MERCHANT = '00000000-0000-4000-8000-00000000b001';
const BENCH_EPOCH = Date.UTC(2026, 0, 1);

/** Query points: inside the seeded Bengaluru and Mumbai areas, in the closed Whitefield one, and outside all. */
const POINTS: readonly { readonly name: string; readonly point: LatLng }[] = [
  { name: 'Koramangala', point: { lat: 12.9352, lng: 77.6245 } },
  { name: 'Koramangala +1.5 km', point: { lat: 12.9487, lng: 77.6245 } },
  { name: 'Indiranagar', point: { lat: 12.9719, lng: 77.6412 } },
  { name: 'HSR Layout -1 km', point: { lat: 12.9026, lng: 77.6474 } },
  { name: 'Andheri West', point: { lat: 19.1364, lng: 72.8296 } },
  { name: 'Bandra West +1 km', point: { lat: 19.0596, lng: 72.8387 } },
  { name: 'Whitefield (closed store)', point: { lat: 12.9698, lng: 77.75 } },
  { name: 'Delhi', point: { lat: 28.6139, lng: 77.209 } },
  { name: 'Chennai', point: { lat: 13.0827, lng: 80.2707 } },
  { name: 'Kolkata', point: { lat: 22.5726, lng: 88.3639 } },
  { name: 'Pune', point: { lat: 18.5204, lng: 73.8567 } },
  { name: 'Mysuru', point: { lat: 12.2958, lng: 76.6394 } },
];

/** mulberry32: a small deterministic PRNG in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function generatedLocations(): LatLng[] {
  const random = prng(0x5e7_1ce);
  return Array.from({ length: GENERATED_STORES }, () => ({
    lat: +(8 + random() * 27).toFixed(6),
    lng: +(68 + random() * 29).toFixed(6),
  }));
}

interface LoadRun extends HttpLoopSummary {
  readonly stores: number;
  readonly connections: number;
}

const urlOf = (platform: Platform, p: LatLng) =>
  `${platform.url}/v1/serviceability?lat=${p.lat}&lng=${p.lng}`;

/** Closed loop over node:http keep-alive connections, cycling through the query points. */
async function lookupLoop(
  platform: Platform,
  connections: number,
  seconds: number,
  stores: number,
): Promise<LoadRun> {
  const urls = POINTS.map((p) => urlOf(platform, p.point));
  const summary = await httpLoop((i) => urls[i % urls.length]!, connections, seconds * 1000);
  if (summary.count > 0 && summary.non2xx + summary.errors >= summary.count)
    throw new Error(
      `Every serviceability lookup failed (${stores} stores, ${connections} connections: ${summary.non2xx} non-2xx, ${summary.errors} errors)`,
    );
  return { ...summary, stores, connections };
}

/** One answer per point (checked 200), as `storeId` or the reason it is not serviceable. */
async function answers(platform: Platform): Promise<string[]> {
  return Promise.all(
    POINTS.map(async ({ name, point }) => {
      const res = await fetch(urlOf(platform, point));
      if (res.status !== 200) throw new Error(`GET /v1/serviceability at ${name} answered ${res.status}`);
      const body = (await res.json()) as { serviceable: boolean; storeId?: string; reason?: string };
      return body.serviceable ? `store ${body.storeId}` : `not serviceable (${body.reason})`;
    }),
  );
}

async function measure(opts: ServiceabilityBenchOptions, stores: number): Promise<LoadRun[]> {
  // Warm-up, the same before both store counts: every function environment the 16-connection run uses, the
  // JIT of the functions and of DynamoDB Local's paths for this table (not counted).
  await lookupLoop(opts.platform, 16, WARM_UP_SECONDS, stores);
  const runs: LoadRun[] = [];
  for (const connections of CONNECTIONS) {
    opts.log(`Serviceability with ${stores} stores, ${connections} connection(s), ${opts.seconds} s…`);
    runs.push(await lookupLoop(opts.platform, connections, opts.seconds, stores));
  }
  return runs;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, i: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Writes the generated stores through the stores service's repository (store + cell index, one transaction each). */
async function generateStores(platform: Platform, locations: readonly LatLng[], log: (line: string) => void) {
  const tableName = platform.resources.tableNames.Stores;
  if (!tableName) throw new Error('The platform has no Stores table');
  const documentClient = DynamoDBDocumentClient.from(localDynamoDb(platform.resources.endpoints.dynamodb), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const repository = new DynamoStoreRepository(documentClient, tableName);
  const area = { type: 'radius', radiusMetres: RADIUS_METRES } as const;
  const now = new Date().toISOString();
  let cells = 0;
  let done = 0;
  const started = performance.now();
  try {
    await pool(locations, WRITE_CONCURRENCY, async (location, i) => {
      const store: Store = {
        id: deterministicUlid(BENCH_EPOCH + i * 1000, `bench-store:${i}`),
        name: `Bench store ${i + 1}`,
        location,
        area,
        hours: SEED_STORE_HOURS,
        prepMinutes: 4 + (i % 3),
        status: 'open',
        merchantId: BENCH_MERCHANT,
        staff: {},
        cells: await coveringCells(area, location),
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await repository.createStore(store);
      cells += store.cells.length;
      if (++done % 1000 === 0)
        log(`  ${done} stores written (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    });
  } finally {
    documentClient.destroy();
  }
  return { ms: performance.now() - started, cells };
}

export async function benchServiceability(opts: ServiceabilityBenchOptions): Promise<string> {
  const { platform, log } = opts;
  const seeded = platform.seed?.stores.length ?? 0;
  const before = await answers(platform);
  const small = await measure(opts, seeded);

  log(`Generating ${GENERATED_STORES} stores (${WRITE_CONCURRENCY} writes at a time)…`);
  const locations = generatedLocations();
  const generated = await generateStores(platform, locations, log);
  const total = seeded + GENERATED_STORES;
  const overlapping = POINTS.filter(({ point }) =>
    locations.some((l) => covers({ type: 'radius', radiusMetres: RADIUS_METRES }, l, point)),
  ).length;
  const after = await answers(platform);
  const changed = POINTS.filter((_, i) => before[i] !== after[i]).map((p) => p.name);
  const large = await measure(opts, total);

  const f = (n: number) => n.toFixed(1);
  const row = (r: LoadRun) =>
    `| ${r.stores.toLocaleString('en')} | ${r.connections} | ${r.perSecond.toFixed(0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.count} | ${r.non2xx + r.errors} |`;
  const ratio = (c: number) => {
    const a = small.find((r) => r.connections === c)!;
    const b = large.find((r) => r.connections === c)!;
    return `${c} connection(s): ${(b.perSecond / Math.max(a.perSecond, 0.01)).toFixed(2)}×`;
  };
  const served = before.filter((a) => a.startsWith('store')).length;
  return [
    '## Serviceability lookups and store count',
    '',
    `GET /v1/serviceability through the local gateway, ${opts.seconds} s per run (node:http keep-alive closed loop from this process, after an uncounted ${WARM_UP_SECONDS} s warm-up at 16 connections before each store count), cycling through ${POINTS.length} points: ${served} served by a seeded store in Bengaluru or Mumbai, the rest in the closed Whitefield area or outside every area (${POINTS.map((p) => p.name).join(', ')}). First with the ${seeded} seeded stores, then after ${GENERATED_STORES.toLocaleString('en')} generated stores (${RADIUS_METRES / 1000} km radius, open round the clock, seeded-random over lat 8–35, lng 68–97) were written through the stores service's repository: ${(generated.ms / 1000).toFixed(1)} s at ${WRITE_CONCURRENCY} at a time, ${(generated.ms / GENERATED_STORES).toFixed(1)} ms per store, ${generated.cells.toLocaleString('en')} cell index items (${(generated.cells / GENERATED_STORES).toFixed(1)} per store). Generated areas covering a query point: ${overlapping}; answers that changed: ${changed.length ? changed.join(', ') : 'none'}.`,
    '',
    '| stores | connections | lookups/s | p50 ms | p99 ms | lookups | non-2xx |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...small.map(row),
    ...large.map(row),
    '',
    `Lookups/s with ${total.toLocaleString('en')} stores against ${seeded}: ${CONNECTIONS.map(ratio).join(', ')} (1.00× = no slowdown with the store count).`,
    '',
  ].join('\n');
}
