/**
 * Product search (issue 11) on a catalogue of 50,000 products (--search-products), in one run:
 *   1. feeding: the products written into the Catalog table of a running local platform (the seed's bulk
 *      writer), indexed by the platform's own feed — the Catalog stream, the local stream runner, the
 *      IndexCatalogChanges function, the local engine — timed until every active product is searchable;
 *   2. the full index build from the table (scan + bulk, the platform's start-up build and
 *      `npm run search:reindex`) on the same platform;
 *   3. GET /v1/search through the local gateway at 32 connections (autocannon in its own process), cycling
 *      through a fixed mix of queries (words, brands, a typo, synonyms, filters, sorts), with the query
 *      cache off (a platform without Redis) and on (a second platform, fed the same way, with redis-server,
 *      warmed by a first load run that is not counted). Answers marked Zepto-Search-Degraded are counted:
 *      they did not come from the engine.
 * Called by bench/run.ts (`--only search` runs just this); returns a Markdown section.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LocalSearchEngine } from '../functions/search/adapters/local-engine';
import type { ReindexResult } from '../functions/search/use-cases/reindex';
import { localDynamoDb } from '../local/engines/clients';
import { redisAvailable } from '../local/engines/redis';
import { startPlatform, type Platform } from '../local/platform';
import { rebuildSearchIndex } from '../local/search-index';
import { seedCatalog } from '../local/seed/catalog';
import { catalogSeedData } from '../local/seed/catalog-data';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

export interface SearchBenchOptions {
  readonly products: number;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

interface Load {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly count: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly degraded: number;
}

/** The query mix: what customers type (words, brands, a typo, Hinglish synonyms) and the filters and sorts. */
function queryPaths(products: number): string[] {
  const seed = catalogSeedData(products);
  const top = seed.categories.filter((c) => !c.parentId);
  const dairy = top.find((c) => c.name.startsWith('Dairy')) ?? top[0]!;
  const staples = top.find((c) => c.name.startsWith('Atta')) ?? top[1]!;
  const q = (params: Record<string, string>) => `/v1/search?${new URLSearchParams(params).toString()}`;
  return [
    q({ q: 'milk' }),
    q({ q: 'amul butter' }),
    q({ q: 'atta' }),
    q({ q: 'dahi' }),
    q({ q: 'paneer' }),
    q({ q: 'besan' }),
    q({ q: 'chips' }),
    q({ q: 'biscuits' }),
    q({ q: 'chocolate' }),
    q({ q: 'noodles masala' }),
    q({ q: 'britania bread' }),
    q({ q: 'organic roots' }),
    q({ q: 'green tea' }),
    q({ q: 'ghee', sort: 'price_asc' }),
    q({ q: 'rice', sort: 'popularity' }),
    q({ q: 'oil', maxPrice: '20000' }),
    q({ q: 'butter', categoryId: dairy.id }),
    q({ categoryId: staples.id, sort: 'price_desc' }),
    q({ brand: 'Fortune', sort: 'popularity' }),
    q({ q: 'ice cream', minPrice: '10000', maxPrice: '50000' }),
  ];
}

async function load(platform: Platform, paths: readonly string[], connections: number, seconds: number) {
  const { stdout } = await run(
    process.execPath,
    [
      join(ROOT, 'bench/search-load.mjs'),
      platform.url,
      String(connections),
      String(seconds),
      JSON.stringify(paths),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as Load;
}

/** Until `probe` says yes (polled), or throw after `timeoutMs`. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Search bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const searchable = async (engine: LocalSearchEngine) =>
  (await engine.search({ text: '', sort: 'popularity', offset: 0, size: 1 })).total;

interface Fed {
  readonly platform: Platform;
  readonly seedMs: number;
  readonly searchableMs: number;
  readonly rebuilt: ReindexResult;
}

/**
 * A fresh platform (in-memory engines, no seed), its catalogue written and fed through the stream until
 * every active product is searchable, then the full build from the table timed on it.
 */
async function fedPlatform(cache: boolean, products: number, active: number): Promise<Fed> {
  const platform = await startPlatform({
    port: 0,
    seed: false,
    quiet: true,
    cache,
    schedules: false,
    queueConsumers: false,
  });
  try {
    await platform.searchIndex;
    const engine = new LocalSearchEngine(platform.resources.search!.endpoint);
    const dynamodb = localDynamoDb(platform.resources.endpoints.dynamodb);
    const documentClient = DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    try {
      const started = performance.now();
      await seedCatalog({ documentClient, tableName: platform.resources.tableNames.Catalog!, products });
      const seedMs = performance.now() - started;
      await until(
        `${active} searchable products`,
        async () => (await searchable(engine)) >= active,
        15 * 60_000,
      );
      const searchableMs = performance.now() - started;
      const rebuilt = await rebuildSearchIndex({
        dynamodb,
        catalogTable: platform.resources.tableNames.Catalog!,
        engine,
      });
      return { platform, seedMs, searchableMs, rebuilt };
    } finally {
      dynamodb.destroy();
    }
  } catch (err) {
    await platform.stop();
    throw err;
  }
}

export async function benchSearch(opts: SearchBenchOptions): Promise<string> {
  const { products, seconds, connections, log } = opts;
  const active = catalogSeedData(products).products.filter((p) => p.isActive).length;
  const paths = queryPaths(products);
  const warmSeconds = Math.max(2, Math.round(seconds / 3));
  const withCache = await redisAvailable();
  const runs: { name: string; fed: Fed; load: Load }[] = [];
  for (const cache of withCache ? [false, true] : [false]) {
    const name = cache ? 'query cache on' : 'query cache off';
    log(`Search (${name}): ${products} products fed through the Catalog stream, then a full build…`);
    const fed = await fedPlatform(cache, products, active);
    try {
      log(`Search (${name}): GET /v1/search, ${connections} connections, ${seconds} s…`);
      // Each query once, one at a time (warms the engine and, when on, fills the cache without the queue of a
      // load run pushing first answers past the engine's budget), then a short load run; neither counted.
      for (const path of paths) await (await fetch(`${fed.platform.url}${path}`)).arrayBuffer();
      await load(fed.platform, paths, connections, warmSeconds);
      runs.push({ name, fed, load: await load(fed.platform, paths, connections, seconds) });
    } finally {
      await fed.platform.stop();
    }
  }
  const f = (n: number) => n.toFixed(1);
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000))}/s`;
  return [
    '## Search',
    '',
    `${products} seed products (${active} active, so searchable) on a fresh platform per run (in-memory engines; one local search engine, Orama in its own process). Written: the products written into the running platform's Catalog table by the seed's bulk writer (BatchWriteItem, each product with its slug and SKU guards). Searchable: from the first write until every active product is found, indexed by the platform's own feed (Catalog stream → local stream runner → IndexCatalogChanges, batches of 500 → bulk). Full build: the index rebuilt from the table (parallel Scan → bulk of 500 → alias swap), as at platform start and in \`npm run search:reindex\`.`,
    '',
    '| platform | written to DynamoDB | searchable through the stream | full build from the table |',
    '| --- | ---: | ---: | ---: |',
    ...runs.map(
      ({ name, fed }) =>
        `| ${name} | ${sec(fed.seedMs)} (${rate(products, fed.seedMs)}) | ${sec(fed.searchableMs)} (${rate(active, fed.searchableMs)}) | ${sec(fed.rebuilt.tookMs)} (${rate(fed.rebuilt.indexed, fed.rebuilt.tookMs)}) |`,
    ),
    '',
    `GET /v1/search through the local gateway, ${connections} connections, ${seconds} s per run after each query once and a ${warmSeconds} s warm-up run (not counted; they also fill the cache when on), autocannon in its own process, cycling through ${paths.length} queries: ${paths.map((p) => `\`${decodeURIComponent(p.slice('/v1/search?'.length))}\``).join(', ')}. Cache off: no Redis, every request reaches the engine (800 ms budget, then degraded). Cache on: redis-server, answers cached 30 s by normalised query. Degraded: answers marked \`Zepto-Search-Degraded: true\` (not from the engine).`,
    '',
    '| GET /v1/search | p50 ms | p99 ms | req/s | requests | non-2xx | client errors and timeouts | degraded |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      ({ name, load: l }) =>
        `| ${name} | ${f(l.p50)} | ${f(l.p99)} | ${l.perSecond.toFixed(0)} | ${l.count} | ${l.non2xx} | ${l.errors} | ${l.degraded} |`,
    ),
    ...(withCache ? [] : ['', 'Cache on: skipped, redis-server is not installed.']),
    '',
  ].join('\n');
}
