/**
 * npm run bench — not part of npm test. Measures, in one run on this machine:
 *   1. bundle size of every function (the artefact CDK ships: esbuild, minified, ESM);
 *   2. cold start of every function (load + first invocation in a fresh process), against a bare handler;
 *   3. p50/p99 latency and throughput of product detail and category listing through the local gateway at
 *      32 connections (autocannon in a separate process), against raw DynamoDB GetItem/Query on the same
 *      engine at the same concurrency as the floor.
 * Writes a Markdown report to bench/reports/. Options: --seconds N (per load run, default 10),
 * --cold-runs N (per function, default 3), --products N (seed size, default 2000).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { app } from '../lib/app/app';
import { isHttpFunction, type FunctionDef } from '../lib/app/types';
import { INDEX, keys, categoryListingKey } from '../functions/catalog/adapters/items';
import { localDynamoDb } from '../local/engines/clients';
import { startPlatform, type Platform } from '../local/platform';
import { bundle } from '../local/runtime/bundle';
import { lambdaEnvironment } from '../local/runtime/environment';
import { buildProxyEvent } from '../local/gateway/proxy-event';
import { benchCache } from './cache';
import { closedLoop, median, type Summary } from './stats';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const CONNECTIONS = 32;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'cold-runs': { type: 'string', default: '3' },
    products: { type: 'string', default: '2000' },
  },
});
const seconds = Number(args.seconds);
const coldRuns = Number(args['cold-runs']);

const BARE: FunctionDef = {
  name: 'BareHandler',
  service: 'bench',
  entry: 'bench/fixtures/bare-handler.ts',
  description: 'async () => ({ statusCode: 200 })',
  trigger: app.functions[0]!.trigger,
};

interface ColdStart {
  name: string;
  bytes: number;
  gzipBytes: number;
  loadMs: number;
  firstInvokeMs: number;
  status: number | undefined;
  eventKind: string;
}

async function main() {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log('Starting the local platform…');
  const platform = await startPlatform({ port: 0, seed: { products: Number(args.products) }, quiet: true });
  try {
    const sample = await sampleIds(platform);
    log(`Bundling ${app.functions.length} functions…`);
    const outDir = await mkdtemp(join(tmpdir(), 'zepto-bench-'));
    const functions = [BARE, ...app.functions.filter(isHttpFunction)];
    const { files: bundles } = await bundle(functions, { outDir });

    log(`Cold starts (${coldRuns} per function)…`);
    const cold: ColdStart[] = [];
    for (const fn of functions)
      cold.push(await coldStart(fn, bundles.get(fn.name)!, platform, sample, outDir));

    log(`Gateway load: ${CONNECTIONS} connections, ${seconds} s per route…`);
    const productUrl = `${platform.url}/v1/products/${sample.productId}`;
    const listingUrl = `${platform.url}/v1/categories/${sample.categoryId}/products?limit=20`;
    const gatewayProduct = await autocannon(productUrl);
    const gatewayListing = await autocannon(listingUrl);

    log('Raw DynamoDB floor on the same engine…');
    const documentClient = DynamoDBDocumentClient.from(localDynamoDb(platform.resources.endpoints.dynamodb));
    const TableName = platform.resources.tableNames.Catalog!;
    const rawGet = await closedLoop(CONNECTIONS, seconds * 1000, async () => {
      await documentClient.send(new GetCommand({ TableName, Key: keys.product(sample.productId) }));
    });
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
      renderReport({ cold, gatewayProduct, gatewayListing, rawGet, rawQuery, sample }) +
      `\n${await benchCache({ products: Number(args.products), load: autocannon, log })}`;
    await mkdir(join(ROOT, 'bench/reports'), { recursive: true });
    const file = join(
      ROOT,
      'bench/reports',
      `${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`,
    );
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
  const real = ['GetProduct', 'ListCategoryProducts', 'ListCategories', 'BareHandler'].includes(fn.name);
  return {
    kind: real ? 'real read' : 'rejected request (no token / empty body)',
    event: buildProxyEvent({ method: route.method, resource: route.path, path, pathParameters }),
  };
}

async function coldStart(
  fn: FunctionDef,
  bundleFile: string,
  platform: Platform,
  sample: { productId: string; categoryId: string },
  outDir: string,
): Promise<ColdStart> {
  const { kind, event } = benchEvent(fn, sample);
  const eventFile = join(outDir, `${fn.name}.event.json`);
  await writeFile(eventFile, JSON.stringify(event));
  const env = {
    ...lambdaEnvironment(fn, platform.resources),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    PATH: process.env.PATH ?? '',
  };
  const runs: { loadMs: number; firstInvokeMs: number; status?: number }[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, 'bench/cold-start-child.mjs'), bundleFile, eventFile],
      {
        env,
      },
    );
    runs.push(JSON.parse(stdout.trim().split('\n').pop()!));
  }
  const code = readFileSync(bundleFile);
  return {
    name: fn.name,
    bytes: (await stat(bundleFile)).size,
    gzipBytes: gzipSync(code).length,
    loadMs: median(runs.map((r) => r.loadMs)),
    firstInvokeMs: median(runs.map((r) => r.firstInvokeMs)),
    status: runs[0]?.status,
    eventKind: kind,
  };
}

interface HttpSummary extends Summary {
  non2xx: number;
  errors: number;
}

async function autocannon(url: string): Promise<HttpSummary> {
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

function renderReport(r: {
  cold: ColdStart[];
  gatewayProduct: HttpSummary;
  gatewayListing: HttpSummary;
  rawGet: Summary;
  rawQuery: Summary;
  sample: { productId: string; categoryId: string; size: number };
}): string {
  const bare = r.cold.find((c) => c.name === 'BareHandler')!;
  const bareTotal = bare.loadMs + bare.firstInvokeMs;
  const coldRows = r.cold.map((c) => {
    const total = c.loadMs + c.firstInvokeMs;
    return `| ${c.name} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} | ${ms(c.loadMs)} | ${ms(c.firstInvokeMs)} | ${ms(total)} | ${(total / bareTotal).toFixed(1)}× | ${c.status ?? '-'} (${c.eventKind}) |`;
  });
  const httpRow = (name: string, h: HttpSummary, floor: Summary) =>
    `| ${name} | ${ms(h.p50)} | ${ms(h.p99)} | ${h.perSecond.toFixed(0)} | ${h.non2xx + h.errors} | ${ms(floor.p50)} | ${ms(floor.p99)} | ${floor.perSecond.toFixed(0)} | ${(h.p50 / Math.max(floor.p50, 0.01)).toFixed(1)}× | ${(floor.perSecond / Math.max(h.perSecond, 1)).toFixed(1)}× |`;
  return [
    `# Zepto benchmark — ${new Date().toISOString()}`,
    '',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} cores. One run; compare ratios, not absolute numbers.`,
    '',
    '## Bundles and cold starts',
    '',
    `Median of ${coldRuns} fresh processes per function: module load (init) and first invocation, against a bare handler bundled the same way.`,
    '',
    '| function | bundle KiB | gzip KiB | load ms | first invoke ms | cold total ms | vs bare | status (event) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...coldRows,
    '',
    '## Latency through the local gateway',
    '',
    `${CONNECTIONS} connections, ${seconds} s each (autocannon in its own process). Floor: the same DynamoDB operation sent straight to the same DynamoDB Local at the same concurrency. Category ${r.sample.categoryId} (${r.sample.size} products), product ${r.sample.productId}, page size 20.`,
    '',
    '| route | p50 ms | p99 ms | req/s | non-2xx | floor p50 ms | floor p99 ms | floor ops/s | p50 vs floor | throughput floor/route |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    httpRow('GET /v1/products/{id} (GetItem floor)', r.gatewayProduct, r.rawGet),
    httpRow('GET /v1/categories/{id}/products (Query floor)', r.gatewayListing, r.rawQuery),
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
