/**
 * Cache on and off, side by side in one run: product detail and category listing p50/p99 through the
 * local gateway, once on a platform whose catalogue functions have no cache (every read goes to
 * DynamoDB Local) and once on one with redis-server (cache-aside, warm after the first requests).
 * Each platform gets the same seed and a short warm-up load first, so the JVM of DynamoDB Local is warm
 * in both. Called by bench/run.ts; returns a Markdown section.
 */
import { startPlatform, type Platform } from '../local/platform';
import { redisAvailable } from '../local/engines/redis';

export interface LoadSummary {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface CacheBenchOptions {
  readonly products: number;
  /** One load run against a URL (autocannon, as the rest of the bench). */
  readonly load: (url: string) => Promise<LoadSummary>;
  readonly log?: (line: string) => void;
}

interface Sample {
  readonly productId: string;
  readonly categoryId: string;
}

async function sample(platform: Platform): Promise<Sample> {
  const tree = (await (await fetch(`${platform.url}/v1/categories`)).json()) as {
    items: { children: { id: string }[] }[];
  };
  for (const sub of tree.items.flatMap((c) => c.children)) {
    const page = (await (
      await fetch(`${platform.url}/v1/categories/${sub.id}/products?limit=20`)
    ).json()) as {
      items: { id: string }[];
    };
    if (page.items.length >= 20) return { categoryId: sub.id, productId: page.items[0]!.id };
  }
  throw new Error('No subcategory with a full page of products');
}

async function measure(cache: boolean, opts: CacheBenchOptions) {
  const platform = await startPlatform({
    port: 0,
    seed: { products: opts.products },
    quiet: true,
    cache,
    schedules: false,
  });
  try {
    const ids = await sample(platform);
    const product = `${platform.url}/v1/products/${ids.productId}`;
    const listing = `${platform.url}/v1/categories/${ids.categoryId}/products?limit=20`;
    // Warm the engines, the function environments and (when on) the cache.
    await opts.load(product);
    await opts.load(listing);
    return { product: await opts.load(product), listing: await opts.load(listing) };
  } finally {
    await platform.stop();
  }
}

export async function benchCache(opts: CacheBenchOptions): Promise<string> {
  if (!(await redisAvailable())) return '## Cache on and off\n\nSkipped: redis-server is not installed.\n';
  opts.log?.('Cache off…');
  const off = await measure(false, opts);
  opts.log?.('Cache on…');
  const on = await measure(true, opts);
  const f = (n: number) => n.toFixed(1);
  const row = (route: string, a: LoadSummary, b: LoadSummary) =>
    `| ${route} | ${f(a.p50)} | ${f(a.p99)} | ${a.perSecond.toFixed(0)} | ${f(b.p50)} | ${f(b.p99)} | ${b.perSecond.toFixed(0)} | ${a.non2xx + a.errors + b.non2xx + b.errors} |`;
  return [
    '## Cache on and off',
    '',
    'The same routes on two fresh platforms with the same seed: catalogue functions without a cache, then with redis-server (cache-aside; the first load run warms it and is not counted).',
    '',
    '| route | off p50 ms | off p99 ms | off req/s | on p50 ms | on p99 ms | on req/s | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('GET /v1/products/{id}', off.product, on.product),
    row('GET /v1/categories/{id}/products', off.listing, on.listing),
    '',
  ].join('\n');
}
