/**
 * Inventory write-through on the real redis-server of the Jest global setup: a stock change through the
 * ChangeStock handler is stored in the cache entry the product page reads, so the page shows the new
 * availability at once without reading the Inventory table; without a cache the page reads DynamoDB.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Product } from '../../../functions/catalog/domain';
import { stockItem } from '../../../functions/shared/published/stock';
import { testClients, testRedisUrl, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, newStore, ok } from '../stores/helpers';

jest.setTimeout(60_000);
// Every cache call has a 50 ms budget and fails open beyond it (then skips Redis for a second), by design.
// On a loaded 2-core machine running the whole suite a call can miss it, and the page then reads DynamoDB:
// correct behaviour, but not what these tests look for. A test is retried then, never skipped; a cache that
// never writes through fails every attempt.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

const REDIS = testRedisUrl();
const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
type Handler = Parameters<typeof invoke>[0];

interface Loaded {
  getProduct: Handler;
  changeStock: Handler;
  createProduct: Handler;
  createCategory: Handler;
  /** The warm-up use case wired like the warm-up functions, ranking exactly these products first. */
  warmWith: (productIds: string[]) => Promise<{ warmed: { stock: number } }>;
  /** Commands this registry's functions sent to DynamoDB, by table. */
  tablesRead: () => string[];
  close: () => Promise<void>;
}
const loaded: Loaded[] = [];
afterAll(async () => {
  for (const l of loaded) await l.close();
  Object.values(clients).forEach((c) => c.destroy());
});

/** The handlers as functions declaring the cache would load them, in a registry of their own. */
function load(cacheEndpoint: string | undefined): Loaded {
  const saved = process.env.CACHE_ENDPOINT;
  if (cacheEndpoint) Object.assign(process.env, { CACHE_ENDPOINT: cacheEndpoint, CACHE_TLS: 'false' });
  else delete process.env.CACHE_ENDPOINT;
  let result!: Loaded;
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const h = (path: string) => (require(`../../../functions/${path}`) as { handler: Handler }).handler;
      const { documentClient } =
        require('../../../functions/shared/aws/dynamodb') as typeof import('../../../functions/shared/aws/dynamodb');
      const { closeCacheConnections } =
        require('../../../functions/shared/cache/index') as typeof import('../../../functions/shared/cache/index');
      const { warmUpDeps } =
        require('../../../functions/catalog/wiring') as typeof import('../../../functions/catalog/wiring');
      const { warmCatalogCache } =
        require('../../../functions/catalog/use-cases/warm-up') as typeof import('../../../functions/catalog/use-cases/warm-up');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const warmDeps = warmUpDeps();
      const send = jest.spyOn(documentClient, 'send');
      result = {
        getProduct: h('catalog/handlers/get-product'),
        changeStock: h('inventory/handlers/change-stock'),
        createProduct: h('catalog/handlers/create-product'),
        createCategory: h('catalog/handlers/create-category'),
        warmWith: (productIds) => {
          // A ranking of our own: the shared test tables hold other tests' catalogues, whose order varies.
          const ranking = {
            topProducts: async () =>
              (await Promise.all(productIds.map((id) => warmDeps.repository.getProduct(id)))).filter(
                (p): p is Product => p !== undefined,
              ),
          };
          return warmCatalogCache({ ...warmDeps, ranking }, { topProducts: productIds.length });
        },
        tablesRead: () =>
          send.mock.calls.flatMap(([command]) => {
            const input = (command as { input: { TableName?: string; RequestItems?: object } }).input;
            return input.TableName ? [input.TableName] : Object.keys(input.RequestItems ?? {});
          }),
        close: closeCacheConnections,
      };
    });
  } finally {
    if (saved === undefined) delete process.env.CACHE_ENDPOINT;
    else process.env.CACHE_ENDPOINT = saved;
  }
  loaded.push(result);
  return result;
}

async function productWithStock(fns: Loaded, available: number) {
  const tag = ulid().toLowerCase();
  const category = ok(
    await invoke(fns.createCategory, {
      method: 'POST',
      path: '/v1/admin/categories',
      as: admin,
      body: { name: `Through ${tag}`, slug: `through-${tag}` },
    }),
    201,
  );
  const product = ok(
    await invoke(fns.createProduct, {
      method: 'POST',
      path: '/v1/admin/products',
      as: admin,
      body: {
        sku: `WT-${tag.slice(-10).toUpperCase()}`,
        name: `Through ${tag}`,
        slug: `through-${tag}`,
        categoryId: category.id,
        unit: '1 kg',
        pricePaise: 100,
        mrpPaise: 100,
      },
    }),
    201,
  );
  const store = await newStore();
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Inventory!,
      Item: stockItem({
        storeId: store.id,
        productId: product.id,
        available,
        reserved: 0,
        version: 1,
        updatedAt: 't',
      }),
    }),
  );
  return { storeId: store.id as string, productId: product.id as string };
}

const page = (fns: Loaded, storeId: string, productId: string) =>
  invoke(fns.getProduct, {
    path: `/v1/products/${productId}`,
    pathParameters: { productId },
    query: { storeId },
  });
const adjust = (fns: Loaded, storeId: string, productId: string, by: number) =>
  invoke(fns.changeStock, {
    method: 'PATCH',
    path: `/v1/stores/${storeId}/inventory/${productId}`,
    pathParameters: { storeId, productId },
    body: { adjust: by, reason: 'recount' },
    as: admin,
  });

describe('stock written through to the cache', () => {
  it('shows a change on the product page at once, without reading the Inventory table', async () => {
    const fns = load(REDIS);
    const { storeId, productId } = await productWithStock(fns, 20);
    expect((await page(fns, storeId, productId)).body.availability).toEqual({ storeId, status: 'in_stock' });

    ok(await adjust(fns, storeId, productId, -17));
    const before = fns.tablesRead().length;
    const after = await page(fns, storeId, productId);
    expect(after.body.availability).toEqual({ storeId, status: 'low_stock', quantity: 3 });
    expect(fns.tablesRead().slice(before)).not.toContain(resources.tableNames.Inventory);
  });

  it('warms the ranked products’ stock at every serving store (real stores, stock and Redis), so their pages need no Inventory read', async () => {
    const fns = load(REDIS);
    const { storeId, productId } = await productWithStock(fns, 3);
    const warm = await fns.warmWith([productId]);
    // One line per serving store in the shared tables, ours among them.
    expect(warm.warmed.stock).toBeGreaterThan(0);
    const before = fns.tablesRead().length;
    expect((await page(fns, storeId, productId)).body.availability).toEqual({
      storeId,
      status: 'low_stock',
      quantity: 3,
    });
    expect(fns.tablesRead().slice(before)).not.toContain(resources.tableNames.Inventory);
  });

  it('never caches a refused change', async () => {
    const fns = load(REDIS);
    const { storeId, productId } = await productWithStock(fns, 2);
    expect((await page(fns, storeId, productId)).body.availability.quantity).toBe(2);
    expect((await adjust(fns, storeId, productId, -3)).status).toBe(409);
    expect((await page(fns, storeId, productId)).body.availability.quantity).toBe(2);
  });
});

describe('without a cache', () => {
  it('reads the line from DynamoDB on every product page', async () => {
    const fns = load(undefined);
    const { storeId, productId } = await productWithStock(fns, 9);
    ok(await adjust(fns, storeId, productId, -5));
    const before = fns.tablesRead().length;
    expect((await page(fns, storeId, productId)).body.availability).toEqual({
      storeId,
      status: 'low_stock',
      quantity: 4,
    });
    expect(fns.tablesRead().slice(before)).toContain(resources.tableNames.Inventory);
  });
});
