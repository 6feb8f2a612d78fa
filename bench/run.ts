/**
 * npm run bench — not part of npm test. Measures, in one run on this machine:
 *   1. bundle size of every function (the artefact CDK ships: esbuild, minified, ESM; what init loads);
 *   2. cold start of every function (load + first invocation in a fresh process), as a ratio to a
 *      DynamoDB-only reference function (document client + one GetItem, bundled the same way);
 *   3. p50/p99 of product detail through the local gateway at 1 connection (no queueing in the function
 *      pool) against raw GetItem at 1 connection: the cost of everything that is not DynamoDB;
 *   4. p50/p99 latency and throughput of product detail and category listing through the local gateway at
 *      32 connections (autocannon in a separate process), against raw DynamoDB GetItem/Query on the same
 *      engine at the same concurrency as the floor.
 *   5. (bench/cache.ts, bench/serviceability.ts) the cache and serviceability sections;
 *   6. (bench/orders.ts) POST /v1/orders at 32 connections on distinct products and on one hot product,
 *      against raw TransactWriteItems of the same shape on the same engine;
 *   8. (bench/payments.ts) payment completion p50/p99 (request to SUCCEEDED) against the 5 s budget with
 *      the provider simulator at 200 ms, and payments/s end to end (`--only payments`: just that);
 *   7. inventory imports (bench/imports.ts): rows/s end to end for --import-rows rows (default 50,000)
 *      beside raw BatchWriteItem items/s on the same DynamoDB Local, and the validator's peak RSS.
 *   8. notifications (bench/notifications.ts): --notifications N requests (default 2,000) end to end, request
 *      enqueued → every channel SENT, notifications/s and the p99 of request → in-app visible.
 *   9. search (bench/search.ts): the time to index --search-products products (default 50,000) through the
 *      platform's stream feed and by a full build, and GET /v1/search p50/p99 and req/s at 32 connections
 *      with the query cache off and on.
 * Writes a Markdown report to bench/reports/. Options: --seconds N (per load run, default 10),
 * --cold-runs N (per function, default 5), --products N (seed size, default 2000), --import-rows N (section 7,
 * default 50,000), --notifications N (section 8), --search-products N (section 9, default 50,000),
 * --functions A,B (with --only cold-starts: only those HTTP functions), --profile-init (section 2: where each
 * function's init goes, from V8 CPU profiles of more loads), --base REV (with --only cold-starts: each function
 * also as it was at git revision REV, in the same rounds),
 * --only orders | notifications | payments | cold-starts (just that section, printed, no report file), --only search (just section
 * 9, on platforms of its own; printed and written to bench/reports/<time>-search.md).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Metafile } from 'esbuild';
import { app } from '../lib/app/app';
import { isHttpFunction, type FunctionDef } from '../lib/app/types';
import { INDEX, keys, categoryListingKey } from '../functions/catalog/adapters/items';
import { localDynamoDb } from '../local/engines/clients';
import { startPlatform, type Platform } from '../local/platform';
import { bundle, bytesLoadedAtInit } from '../local/runtime/bundle';
import { INIT_PARTS, initBreakdown, type InitPart } from './init-profile';
import { lambdaEnvironment } from '../local/runtime/environment';
import { buildProxyEvent } from '../local/gateway/proxy-event';
import { benchCache } from './cache';
import { benchOrders } from './orders';
import { benchNotifications } from './notifications';
import { benchPayments } from './payments';
import { benchImports } from './imports';
import { benchSearch } from './search';
import { benchServiceability } from './serviceability';
import { httpLoop, type HttpLoopSummary } from './http-loop';
import { closedLoop, median, type Summary } from './stats';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const CONNECTIONS = 32;
/** Customers paying at once in the payments section (each waits for its payment before the next). */
const PAYMENT_CUSTOMERS = 16;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'cold-runs': { type: 'string', default: '5' },
    products: { type: 'string', default: '2000' },
    only: { type: 'string' },
    functions: { type: 'string' },
    'profile-init': { type: 'boolean', default: false },
    base: { type: 'string' },
    'import-rows': { type: 'string', default: '50000' },
    notifications: { type: 'string', default: '2000' },
    'search-products': { type: 'string', default: '50000' },
  },
});
const seconds = Number(args.seconds);
const coldRuns = Number(args['cold-runs']);
// The later sections measure GetProduct's bundle: a subset of functions is for the cold starts alone.
if ((args.functions || args.base) && args.only !== 'cold-starts')
  throw new Error('--functions and --base go with --only cold-starts (the full run measures every function)');

const getProduct = app.functions.find((fn) => fn.name === 'GetProduct')!;
const BARE: FunctionDef = {
  name: 'BareHandler',
  service: 'bench',
  entry: 'bench/fixtures/bare-handler.ts',
  description: 'async () => ({ statusCode: 200 })',
  trigger: getProduct.trigger,
};
/** What every function's cold start is compared with: the SDK's own cost of one DynamoDB read. */
const REFERENCE: FunctionDef = {
  name: 'DynamoDbReference',
  service: 'bench',
  entry: 'bench/fixtures/dynamodb-reference.ts',
  description: 'DynamoDB document client + one GetItem',
  trigger: getProduct.trigger,
  tables: { Catalog: 'read' },
};
/**
 * The reference's read behind Zepto's HTTP runtime, without and with one route schema: the floor of any
 * HTTP function, and what zod's first use adds to it (bench/fixtures/runtime-read.ts).
 */
const RUNTIME_FLOORS: FunctionDef[] = [
  {
    ...REFERENCE,
    name: 'HttpRuntime',
    entry: 'bench/fixtures/http-runtime.ts',
    description: 'the reference behind the HTTP runtime, no schema',
  },
  {
    ...REFERENCE,
    name: 'HttpRuntimePathSchema',
    entry: 'bench/fixtures/http-runtime-path-schema.ts',
    description: 'the same with a one-ULID path schema',
  },
];

interface ColdStart {
  name: string;
  bytes: number;
  gzipBytes: number;
  loadMs: number;
  loadCpuMs: number;
  firstInvokeMs: number;
  status: number | undefined;
  eventKind: string;
  /** `--profile-init`: ms of the module load by what ran. */
  initParts: Record<InitPart, number> | undefined;
}

const searchSection = (log: (line: string) => void) =>
  benchSearch({ products: Number(args['search-products']), seconds, connections: CONNECTIONS, log });

const reportFile = (suffix = '') =>
  join(ROOT, 'bench/reports', `${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}${suffix}.md`);

async function main() {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (args.only === 'search') {
    // `--only search`: the search section on platforms of its own (the main platform is not needed).
    const section = await searchSection(log);
    const report = [
      `# Zepto benchmark — search section only — ${new Date().toISOString()}`,
      '',
      `\`npx tsx bench/run.ts ${process.argv.slice(2).join(' ')}\` on ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} cores (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} at the end). One run; other sections not run.`,
      '',
      section,
    ].join('\n');
    await mkdir(join(ROOT, 'bench/reports'), { recursive: true });
    const file = reportFile('-search');
    await writeFile(file, report);
    log(report);
    log(`Report written to ${file}`);
    return;
  }
  log('Starting the local platform…');
  const platform = await startPlatform({ port: 0, seed: { products: Number(args.products) }, quiet: true });
  try {
    if (args.only === 'orders') {
      // `--only orders`: just the checkout section (a quick look; the full run is the report of record).
      log(await benchOrders({ platform, seconds, connections: CONNECTIONS, log }));
      return;
    }
    if (args.only === 'notifications') {
      // `--only notifications`: just the notifications section, printed.
      log(await benchNotifications({ platform, requests: Number(args.notifications), log }));
      return;
    }
    if (args.only === 'payments') {
      // `--only payments`: just the payments section.
      log(await benchPayments({ platform, seconds, connections: PAYMENT_CUSTOMERS, log }));
      return;
    }
    const sample = await sampleIds(platform);
    log(`Bundling ${app.functions.length} functions…`);
    const outDir = await mkdtemp(join(tmpdir(), 'zepto-bench-'));
    // `--functions A,B`: only those (with the bare handler, the reference and the runtime floors).
    const only = args.functions?.split(',');
    const unknown = only?.filter(
      (name) => !app.functions.some((fn) => fn.name === name && isHttpFunction(fn)),
    );
    if (unknown?.length) throw new Error(`--functions: no HTTP function named ${unknown.join(', ')}`);
    const functions = [
      BARE,
      REFERENCE,
      ...RUNTIME_FLOORS,
      ...app.functions.filter((fn) => isHttpFunction(fn) && (!only || only.includes(fn.name))),
    ];
    const { files: bundles, metafiles } = await bundle(functions, { outDir });
    // `--base REV`: the same functions as they were at REV, in the same rounds (a before/after in one run).
    const base = args.base ? await baseBundles(args.base, functions, outDir) : undefined;

    log(`Cold starts (${coldRuns} rounds over every function)…`);
    const cold = await coldStarts(
      base ? functions.flatMap((fn) => [fn, ...base.functions.filter((b) => b.of === fn.name)]) : functions,
      new Map([...bundles, ...(base?.files ?? [])]),
      new Map([...metafiles, ...(base?.metafiles ?? [])]),
      platform,
      sample,
      outDir,
    ).finally(() => base?.remove());
    if (args.only === 'cold-starts') {
      // `--only cold-starts`: sections 1 and 2, printed (issue 5's figures without the load runs).
      log(renderColdStarts(cold).join('\n'));
      return;
    }

    log(
      `Warm path: ${WARM_INVOCATIONS} invocations of ${REFERENCE.name} and GetProduct, CPU per invocation…`,
    );
    const warm: WarmPath[] = [];
    for (const fn of [REFERENCE, getProduct])
      warm.push(await warmPath(fn, bundles.get(fn.name)!, platform, sample, outDir));

    const productUrl = `${platform.url}/v1/products/${sample.productId}`;
    const listingUrl = `${platform.url}/v1/categories/${sample.categoryId}/products?limit=20`;
    const documentClient = DynamoDBDocumentClient.from(localDynamoDb(platform.resources.endpoints.dynamodb));
    const TableName = platform.resources.tableNames.Catalog!;
    const getItem = async () => {
      await documentClient.send(
        new GetCommand({ TableName, Key: keys.product(sample.productId), ConsistentRead: true }),
      );
    };

    log(`Product detail at 1 connection against raw GetItem at 1 connection, ${seconds} s each…`);
    const singleProduct = await httpLoop(() => productUrl, 1, seconds * 1000);
    const singleGet = await closedLoop(1, seconds * 1000, getItem);

    log(`Gateway load: ${CONNECTIONS} connections, ${seconds} s per route…`);
    const gatewayProduct = await autocannon(productUrl);
    const gatewayListing = await autocannon(listingUrl);

    log('Raw DynamoDB floor on the same engine…');
    const rawGet = await closedLoop(CONNECTIONS, seconds * 1000, getItem);
    const rawQuery = await closedLoop(CONNECTIONS, seconds * 1000, async () => {
      await documentClient.send(
        new QueryCommand({
          TableName,
          IndexName: INDEX.byCategory.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': INDEX.byCategory.pk },
          ExpressionAttributeValues: { ':pk': categoryListingKey(sample.categoryId) },
          Limit: 21,
        }),
      );
    });

    const report =
      renderReport({
        cold,
        warm,
        singleProduct,
        singleGet,
        gatewayProduct,
        gatewayListing,
        rawGet,
        rawQuery,
        sample,
      }) +
      `\n${await benchCache({ products: Number(args.products), load: autocannon, log })}` +
      `\n${await benchServiceability({ platform, seconds, log })}` +
      `\n${await benchOrders({ platform, seconds, connections: CONNECTIONS, log })}` +
      `\n${await benchPayments({ platform, seconds, connections: PAYMENT_CUSTOMERS, log })}` +
      `\n${await benchImports({ rows: Number(args['import-rows']), log })}` +
      `\n${await benchNotifications({ platform, requests: Number(args.notifications), log })}` +
      `\n${await searchSection(log)}`;
    await mkdir(join(ROOT, 'bench/reports'), { recursive: true });
    const file = reportFile();
    await writeFile(file, report);
    log(report);
    log(`Report written to ${file}`);
  } finally {
    await platform.stop();
  }
}

async function sampleIds(platform: Platform) {
  const tree = (await (await fetch(`${platform.url}/v1/categories`)).json()) as {
    items: { id: string; children: { id: string }[] }[];
  };
  // The subcategory with the most products makes the listing a full page.
  let best = { categoryId: '', productId: '', size: -1 };
  for (const sub of tree.items.flatMap((c) => c.children)) {
    const page = (await (
      await fetch(`${platform.url}/v1/categories/${sub.id}/products?limit=100`)
    ).json()) as {
      items: { id: string }[];
    };
    if (page.items.length > best.size && page.items[0])
      best = { categoryId: sub.id, productId: page.items[0].id, size: page.items.length };
  }
  if (best.size < 1) throw new Error('The seeded catalogue has no products');
  return best;
}

/** The event a cold start is measured with: a real read for the catalogue reads, otherwise the route unauthenticated/empty. */
function benchEvent(fn: FunctionDef, sample: { productId: string; categoryId: string }) {
  if (!isHttpFunction(fn)) throw new Error(`${fn.name} has no HTTP route`);
  const { route } = fn.trigger;
  const params: Record<string, string> = { productId: sample.productId, categoryId: sample.categoryId };
  const pathParameters = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, params[m[1]!] ?? 'x']),
  );
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name]!);
  const real = [
    'GetProduct',
    'ListCategoryProducts',
    'ListCategories',
    'BareHandler',
    REFERENCE.name,
    ...RUNTIME_FLOORS.map((floor) => floor.name),
  ].includes(fn.name.split('@')[0]!);
  return {
    kind: real ? 'real read' : 'rejected request (no token / empty body)',
    event: buildProxyEvent({ method: route.method, resource: route.path, path, pathParameters }),
  };
}

/**
 * `--base REV`: every measured function's handler as it was at REV (a git worktree beside the bundles,
 * sharing this checkout's node_modules), bundled with today's options, named `<function>@<REV>`. Fixtures
 * and functions whose handler did not exist at REV are not rebuilt.
 */
async function baseBundles(rev: string, functions: readonly FunctionDef[], outDir: string) {
  const tree = join(outDir, 'base-tree');
  await run('git', ['worktree', 'add', '--detach', tree, rev], { cwd: ROOT });
  const remove = () =>
    run('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT }).then(() => undefined);
  try {
    await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    const defs = functions
      .filter((fn) => fn.service !== 'bench' && existsSync(join(tree, fn.entry)))
      .map((fn) => ({ ...fn, name: `${fn.name}@${rev}`, of: fn.name }));
    const { files, metafiles } = await bundle(defs, { outDir: join(outDir, 'base'), root: tree });
    return { functions: defs, files, metafiles, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

const WARM_INVOCATIONS = 2000;
/** Cold-start rounds start the reference again after this many functions. */
const REFERENCE_EVERY = 8;

/** Profiled loads per function with --profile-init. */
const PROFILE_RUNS = 3;

interface WarmPath {
  name: string;
  cpuUsPerInvoke: number;
  p50Ms: number;
  p99Ms: number;
}

/** Warm invocations one at a time in a fresh process; CPU time leaves out the wait for DynamoDB Local. */
async function warmPath(
  fn: FunctionDef,
  bundleFile: string,
  platform: Platform,
  sample: { productId: string; categoryId: string },
  outDir: string,
): Promise<WarmPath> {
  const eventFile = join(outDir, `${fn.name}.warm-event.json`);
  await writeFile(eventFile, JSON.stringify(benchEvent(fn, sample).event));
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'bench/warm-child.mjs'), bundleFile, eventFile, String(WARM_INVOCATIONS)],
    // Without the cache: a cache hit would skip DynamoDB and the comparison with the reference.
    { env: withoutCache(benchEnvironment(fn, platform)), maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<WarmPath, 'name'> & { status: number };
  if (result.status !== 200) throw new Error(`${fn.name} answered ${result.status} on the warm path`);
  return { name: fn.name, ...result };
}

const withoutCache = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('CACHE_')));

/** A function's Lambda environment, logging off, as the bench children run it. */
function benchEnvironment(fn: FunctionDef, platform: Platform): Record<string, string> {
  return {
    ...lambdaEnvironment(fn, platform.resources),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    PATH: process.env.PATH ?? '',
  };
}

type ColdRun = { loadMs: number; loadCpuMs: number; firstInvokeMs: number; status?: number };

/**
 * Cold starts in rounds: every round starts each function once, in the same order, so a disturbance of the
 * machine (another process, the JVM's garbage collector) lands on every function alike and the ratios to
 * the reference stay meaningful; a function's figure is its median over the rounds.
 */
async function coldStarts(
  functions: readonly FunctionDef[],
  bundles: ReadonlyMap<string, string>,
  metafiles: ReadonlyMap<string, Metafile>,
  platform: Platform,
  sample: { productId: string; categoryId: string },
  outDir: string,
): Promise<ColdStart[]> {
  const prepared = await Promise.all(
    functions.map(async (fn) => {
      const { kind, event } = benchEvent(fn, sample);
      const eventFile = join(outDir, `${fn.name}.event.json`);
      await writeFile(eventFile, JSON.stringify(event));
      return { fn, kind, eventFile, env: benchEnvironment(fn, platform), runs: [] as ColdRun[] };
    }),
  );
  const start = async (p: (typeof prepared)[number]) => {
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, 'bench/cold-start-child.mjs'), bundles.get(p.fn.name)!, p.eventFile],
      { env: p.env },
    );
    p.runs.push(JSON.parse(stdout.trim().split('\n').pop()!) as ColdRun);
  };
  // The reference also starts after every REFERENCE_EVERY functions of a round: every ratio divides by its
  // median, which many loads spread over the whole round make steadier than one load per round (one slow
  // moment of the machine at the reference's turn used to move every ratio of a run by up to 0.15×).
  const reference = prepared.find((p) => p.fn.name === REFERENCE.name)!;
  for (let round = 0; round < coldRuns; round++)
    for (const [i, p] of prepared.entries()) {
      await start(p);
      if (i % REFERENCE_EVERY === REFERENCE_EVERY - 1) await start(reference);
    }
  // Profiled loads are extra rounds: the profiler's overhead stays out of the times above.
  const parts = new Map<string, Record<InitPart, number>[]>();
  if (args['profile-init'])
    for (let round = 0; round < PROFILE_RUNS; round++)
      for (const p of prepared) {
        const profileFile = join(outDir, `${p.fn.name}.${round}.cpuprofile`);
        await run(
          process.execPath,
          [join(ROOT, 'bench/cold-start-child.mjs'), bundles.get(p.fn.name)!, p.eventFile, profileFile],
          { env: p.env },
        );
        parts.set(p.fn.name, [...(parts.get(p.fn.name) ?? []), initBreakdown(profileFile)]);
      }
  return prepared.map(({ fn, kind, runs }) => ({
    name: fn.name,
    bytes: bytesLoadedAtInit(metafiles.get(fn.name)!),
    gzipBytes: gzipSync(readFileSync(bundles.get(fn.name)!)).length,
    loadMs: median(runs.map((r) => r.loadMs)),
    loadCpuMs: median(runs.map((r) => r.loadCpuMs)),
    firstInvokeMs: median(runs.map((r) => r.firstInvokeMs)),
    status: runs[0]?.status,
    eventKind: kind,
    initParts: parts.has(fn.name) ? meanParts(parts.get(fn.name)!) : undefined,
  }));
}

const meanParts = (runs: readonly Record<InitPart, number>[]) =>
  Object.fromEntries(
    INIT_PARTS.map((part) => [part, runs.reduce((sum, r) => sum + r[part], 0) / runs.length]),
  ) as Record<InitPart, number>;

async function autocannon(url: string): Promise<HttpLoopSummary> {
  const bin = join(ROOT, 'node_modules/autocannon/autocannon.js');
  const { stdout } = await run(
    process.execPath,
    [bin, '-c', String(CONNECTIONS), '-d', String(seconds), '-j', url],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const r = JSON.parse(stdout) as {
    latency: { p50: number; p99: number; mean: number };
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
  };
  return {
    count: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.mean,
    perSecond: r.requests.average,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const ms = (n: number) => n.toFixed(1);
const kb = (n: number) => (n / 1024).toFixed(1);

const ratio = (value: number, floor: number) => `${(value / Math.max(floor, 0.01)).toFixed(2)}×`;

/** Section 2: every function's init and first invocation against the reference, in one run. */
function renderColdStarts(cold: readonly ColdStart[]): string[] {
  const reference = cold.find((c) => c.name === REFERENCE.name)!;
  const rows = cold.map((c) => {
    const total = c.loadMs + c.firstInvokeMs;
    return `| ${c.name} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} | ${ms(c.loadMs)} | ${ratio(c.loadMs, reference.loadMs)} | ${ms(c.loadCpuMs)} | ${ratio(c.loadCpuMs, reference.loadCpuMs)} | ${ms(c.firstInvokeMs)} | ${ratio(c.firstInvokeMs, reference.firstInvokeMs)} | ${ms(total)} | ${c.status ?? '-'} (${c.eventKind}) |`;
  });
  return [
    '## Bundles and cold starts',
    '',
    `Median of ${coldRuns} rounds, each starting every function once in a fresh process: module load (init: wall time, and the process's CPU time, which a busy machine disturbs less) and first invocation, each as a ratio to ${REFERENCE.name} (${REFERENCE.description}, bundled the same way; started again after every ${REFERENCE_EVERY} functions of a round, its median is over all those loads). KiB is the code init loads: the entry file and the chunks it imports statically (chunks loaded on demand, such as the X-Ray instrumentation, are not counted). ${RUNTIME_FLOORS.map((f) => `${f.name}: ${f.description}`).join('; ')} (the floor of every HTTP function).`,
    '',
    '| function | init KiB | gzip KiB | init ms | init vs reference | init CPU ms | init CPU vs reference | first invoke ms | first invoke vs reference | cold total ms | status (event) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ...renderInitParts(cold),
  ];
}

/** `--profile-init`: where each function's module load goes (bench/init-profile.ts). */
function renderInitParts(cold: readonly ColdStart[]): string[] {
  const profiled = cold.filter((c) => c.initParts);
  if (profiled.length === 0) return [];
  return [
    '### Where init goes',
    '',
    `Mean of ${PROFILE_RUNS} more loads per function under V8's sampling profiler (50 µs; the profiler slows a load by about a tenth), ms by what ran, mapped through the bundle's source map: V8's compile of the module source and Node's reading of the source map scale with the bundle's size; a package's row is its own code running, including V8 compiling its functions on their first call.`,
    '',
    `| function | ${INIT_PARTS.join(' | ')} | total |`,
    `| --- |${' ---: |'.repeat(INIT_PARTS.length + 1)}`,
    ...profiled.map((c) => {
      const parts = c.initParts!;
      const total = INIT_PARTS.reduce((sum, part) => sum + parts[part], 0);
      return `| ${c.name} | ${INIT_PARTS.map((part) => ms(parts[part])).join(' | ')} | ${ms(total)} |`;
    }),
    '',
  ];
}

function renderReport(r: {
  cold: ColdStart[];
  warm: WarmPath[];
  singleProduct: HttpLoopSummary;
  singleGet: Summary;
  gatewayProduct: HttpLoopSummary;
  gatewayListing: HttpLoopSummary;
  rawGet: Summary;
  rawQuery: Summary;
  sample: { productId: string; categoryId: string; size: number };
}): string {
  const httpRow = (name: string, h: HttpLoopSummary, floor: Summary) =>
    `| ${name} | ${ms(h.p50)} | ${ms(h.p99)} | ${h.perSecond.toFixed(0)} | ${h.non2xx + h.errors} | ${ms(floor.p50)} | ${ms(floor.p99)} | ${floor.perSecond.toFixed(0)} | ${ratio(h.p50, floor.p50)} | ${ratio(h.p99, floor.p99)} | ${ratio(floor.perSecond, Math.max(h.perSecond, 1))} |`;
  const httpHeader = [
    '| route | p50 ms | p99 ms | req/s | non-2xx | floor p50 ms | floor p99 ms | floor ops/s | p50 vs floor | p99 vs floor | throughput floor/route |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  return [
    `# Zepto benchmark — ${new Date().toISOString()}`,
    '',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} cores. One run; compare ratios, not absolute numbers.`,
    '',
    ...renderColdStarts(r.cold),
    '## Warm path',
    '',
    `${WARM_INVOCATIONS} warm invocations one at a time in a fresh process against DynamoDB Local. CPU per invocation leaves out the wait for DynamoDB: the difference to ${REFERENCE.name} is what the runtime (middy, validation, logger, metrics flush, JSON) costs per request.`,
    '',
    '| function | CPU µs per invocation | vs reference | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.warm.map(
      (w) =>
        `| ${w.name} | ${w.cpuUsPerInvoke.toFixed(0)} | ${ratio(w.cpuUsPerInvoke, r.warm[0]!.cpuUsPerInvoke)} | ${ms(w.p50Ms)} | ${ms(w.p99Ms)} |`,
    ),
    '',
    '## Product detail at 1 connection',
    '',
    `One request at a time (no queueing in the local function pool), ${seconds} s each, both from this process: the route through the local gateway (node:http, keep-alive) against the same strongly consistent GetItem sent straight to DynamoDB Local.`,
    '',
    ...httpHeader,
    httpRow('GET /v1/products/{id} (GetItem floor)', r.singleProduct, r.singleGet),
    '',
    '## Latency through the local gateway',
    '',
    `${CONNECTIONS} connections, ${seconds} s each (autocannon in its own process). Floor: the same DynamoDB operation sent straight to the same DynamoDB Local at the same concurrency. Category ${r.sample.categoryId} (${r.sample.size} products), product ${r.sample.productId}, page size 20.`,
    '',
    ...httpHeader,
    httpRow('GET /v1/products/{id} (GetItem floor)', r.gatewayProduct, r.rawGet),
    httpRow('GET /v1/categories/{id}/products (Query floor)', r.gatewayListing, r.rawQuery),
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
