/**
 * The local platform with ZEPTO_REDIS_URL pointing at a Redis that is not there: every catalogue read
 * still answers 200 (fail-open to DynamoDB Local), and no redis-server was started for it.
 */
import { createServer } from 'node:net';
import { startPlatform, type Platform } from '../../local/platform';

let platform: Platform;
let redisUrl: string;

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  const saved = process.env.ZEPTO_REDIS_URL;
  redisUrl = `redis://127.0.0.1:${await closedPort()}`;
  process.env.ZEPTO_REDIS_URL = redisUrl;
  try {
    platform = await startPlatform({
      port: 0,
      seed: { products: 40 },
      quiet: true,
      schedules: false,
      bundling: 'on-demand',
    });
  } finally {
    if (saved === undefined) delete process.env.ZEPTO_REDIS_URL;
    else process.env.ZEPTO_REDIS_URL = saved;
  }
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 30_000);

const getJson = async (path: string) => {
  const res = await fetch(`${platform.url}${path}`);
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

// Cold starts of the real bundles on a loaded 2-core machine can exceed Jest's 5 s default.
jest.setTimeout(30_000);

it('points the functions at ZEPTO_REDIS_URL instead of starting redis-server', () => {
  expect(platform.resources.cache).toEqual({ endpoint: redisUrl, tls: false });
  expect(platform.resources.endpoints.redis).toBe(redisUrl);
});

it('answers every catalogue read from DynamoDB while that Redis is unreachable', async () => {
  for (let round = 0; round < 2; round++) {
    const tree = await getJson('/v1/categories');
    expect(tree.status).toBe(200);
    const sub = tree.body.items.flatMap((c: { children: { id: string }[] }) => c.children)[0];
    const listing = await getJson(`/v1/categories/${sub.id}/products?limit=5`);
    expect(listing.status).toBe(200);
    for (const item of listing.body.items)
      expect((await getJson(`/v1/products/${item.id}`)).status).toBe(200);
  }
});
