/**
 * End to end: the whole local platform booted as `npm start` boots it (engines, provisioning, seed data,
 * bundled functions in Lambda-like workers, the API Gateway-like server), on a free port with a throw-away
 * data folder, and driven only over HTTP.
 */
import { generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { uploadInventory } from '../../local/imports/upload';
import { DEFAULT_DEMO_PASSWORD, startPlatform, type Platform } from '../../local/platform';

const PRODUCTS = 150;

let platform: Platform;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zepto-e2e-'));
  platform = await startPlatform({
    port: 0,
    dataDir,
    seed: { products: PRODUCTS },
    quiet: true,
    bundling: 'on-demand',
  });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

// --- HTTP helpers --------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  contentType: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined || opts.raw !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = opts.raw ?? JSON.stringify(opts.json);
  }
  const res = await fetch(`${platform.url}${path}`, { method, headers, body });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    contentType,
    body: text && contentType.includes('json') ? JSON.parse(text) : text,
  };
}

async function login(email: string, password: string): Promise<string> {
  const res = await api('POST', '/v1/auth/login', { json: { email, password } });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

const newProduct = (categoryId: string) => {
  const id = ulid().toLowerCase().slice(-10);
  return {
    sku: `E2E-${id.toUpperCase()}`,
    name: `E2E Alphonso Mango ${id}`,
    slug: `e2e-alphonso-mango-${id}`,
    categoryId,
    unit: '500 g',
    pricePaise: 14_900,
    mrpPaise: 17_900,
  };
};

interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  productCount?: number;
  children: CategoryNode[];
}

async function categoryTree(): Promise<CategoryNode[]> {
  const res = await api('GET', '/v1/categories');
  expect(res.status).toBe(200);
  return res.body.items as CategoryNode[];
}

// --- tests ---------------------------------------------------------------------------------------------------

// Cold starts of the real bundles on a loaded 2-core machine can exceed Jest's 5 s default.
jest.setTimeout(30_000);

describe('the local platform', () => {
  it('reports itself healthy', async () => {
    const res = await api('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers an unknown route as the deployed API does: 404 problem+json', async () => {
    const res = await api('GET', '/v1/no-such-route');
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ title: 'Not Found', detail: 'Missing Authentication Token' });
  });

  it('serves its OpenAPI document', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/application\/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/categories', '/v1/auth/login']));
  });
});

describe('a new customer', () => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = 'Correct-Horse-42!';
  let token: string;

  it('registers, logs in and reads their profile', async () => {
    const registered = await api('POST', '/v1/auth/register', {
      json: { email, password, name: 'Asha E2E' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email, nextStep: 'LOGIN' });

    const loggedIn = await api('POST', '/v1/auth/login', { json: { email, password } });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    token = loggedIn.body.accessToken;

    const me = await api('GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, name: 'Asha E2E', roles: ['customer'] });
  });

  it('browses the category tree, pages through a category to the end and opens a product', async () => {
    const tree = await categoryTree();
    expect(tree.length).toBeGreaterThan(0);
    for (const node of tree) expect(node).toMatchObject({ id: expect.any(String), slug: expect.any(String) });

    // The top-level category with the most products: several pages at limit=10.
    const category = [...tree].sort((a, b) => (b.productCount ?? 0) - (a.productCount ?? 0))[0]!;
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=10&cursor=${encodeURIComponent(cursor)}` : 'limit=10';
      const page = await api('GET', `/v1/categories/${category.id}/products?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(10);
      for (const item of page.body.items as { id: string }[]) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(pages).toBeGreaterThan(1);
    if (category.productCount !== undefined) expect(seen.size).toBe(category.productCount);

    const productId = [...seen][0]!;
    const product = await api('GET', `/v1/products/${productId}`);
    expect(product.status).toBe(200);
    expect(product.body).toMatchObject({ id: productId, currency: 'INR', pricePaise: expect.any(Number) });
  });

  it('may not create products (403 problem+json)', async () => {
    const [category] = await categoryTree();
    const res = await api('POST', '/v1/admin/products', { token, json: newProduct(category!.id) });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, title: expect.any(String) });
  });
});

describe('a customer with a delivery location', () => {
  it('saves a location in Koramangala, is served with an ETA and sees availability on a product page', async () => {
    const token = await login('customer@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    const saved = await api('PUT', '/v1/me/location', {
      token,
      json: { lat: 12.9352, lng: 77.6245, label: 'Home' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      serviceable: true,
      storeId: expect.any(String),
      storeName: 'Zepto Koramangala',
      etaMinutes: expect.any(Number),
    });
    expect(saved.body.etaMinutes).toBeGreaterThanOrEqual(4);
    const store = await api('GET', `/v1/stores/${saved.body.storeId}`);
    expect(store.body).toMatchObject({ name: 'Zepto Koramangala', status: 'open', openNow: true });

    // No authorizer runs on public routes (as in API Gateway): the bundled functions check the token that
    // comes along themselves and find the store of the saved location (ADR 12), without ?storeId=.
    const category = (await categoryTree())[0]!;
    const page = await api('GET', `/v1/categories/${category.id}/products?limit=5`, { token });
    expect(page.status).toBe(200);
    for (const item of page.body.items as { availability: { storeId: string } }[])
      expect(item.availability.storeId).toBe(saved.body.storeId);
    const productId = page.body.items[0].id as string;
    const product = await api('GET', `/v1/products/${productId}`, { token });
    expect(product.body.availability).toEqual(
      expect.objectContaining({
        storeId: saved.body.storeId,
        status: expect.stringMatching(/^(in_stock|low_stock|out_of_stock)$/),
      }),
    );
    const anonymous = await api('GET', `/v1/products/${productId}`);
    expect(anonymous.body).not.toHaveProperty('availability');
    // An explicit ?storeId= still wins (the app browsing another store).
    const bandra = await api('GET', '/v1/serviceability?lat=19.0596&lng=72.8295');
    const there = await api('GET', `/v1/products/${productId}?storeId=${bandra.body.storeId}`, { token });
    expect(there.body.availability.storeId).toBe(bandra.body.storeId);
  });

  it('is refused (401) on a product page with a token that is not valid, and served without one', async () => {
    const category = (await categoryTree())[0]!;
    const page = await api('GET', `/v1/categories/${category.id}/products?limit=1`);
    const productId = page.body.items[0].id as string;
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      sub: 'someone-else',
      token_use: 'access',
      client_id: platform.resources.userPool.clientId,
      scope: 'aws.cognito.signin.user.admin',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .setIssuer(platform.resources.issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await api('GET', `/v1/products/${productId}`, { token: forged })).toMatchObject({
      status: 401,
      body: { title: 'Unauthorized', detail: 'The access token is not valid: send a valid one, or none.' },
    });
    expect((await api('GET', `/v1/products/${productId}`)).status).toBe(200);
  });

  it('is told that a point in the sea off Mumbai is not serviceable, and bad coordinates are a 400', async () => {
    const sea = await api('GET', '/v1/serviceability?lat=18.95&lng=72.70');
    expect(sea).toMatchObject({ status: 200, body: { serviceable: false, reason: 'outside_service_area' } });
    const andheri = await api('GET', '/v1/serviceability?lat=19.1364&lng=72.8296');
    expect(andheri.body).toMatchObject({ serviceable: true, storeName: 'Zepto Andheri West' });
    expect((await api('GET', '/v1/serviceability?lat=abc&lng=72.7')).status).toBe(400);
  });

  it('lets the demo staff change stock at Koramangala but not at Bandra', async () => {
    const staff = await login('staff@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    const admin = await login('admin@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    const stores = await api('GET', '/v1/admin/stores?limit=100', { token: admin });
    const byName = Object.fromEntries(
      (stores.body.items as { id: string; name: string }[]).map((s) => [s.name, s.id]),
    );
    const koramangala = byName['Zepto Koramangala']!;
    const lines = await api('GET', `/v1/stores/${koramangala}/inventory?limit=1`, { token: staff });
    expect(lines.status).toBe(200);
    const productId = lines.body.items[0].productId as string;
    const changed = await api('PATCH', `/v1/stores/${koramangala}/inventory/${productId}`, {
      token: staff,
      json: { set: 42, reason: 'recount' },
      headers: { 'if-match': `"${lines.body.items[0].version}"` },
    });
    expect(changed).toMatchObject({ status: 200, body: { available: 42 } });
    const bandra = byName['Zepto Bandra West']!;
    expect((await api('GET', `/v1/stores/${bandra}/inventory/${productId}`, { token: staff })).status).toBe(
      403,
    );
  });
});

describe('the demo merchant', () => {
  it('uploads an inventory CSV through the API, and a customer at that store sees the new stock on product pages', async () => {
    const customer = await login('customer@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    const here = await api('PUT', '/v1/me/location', {
      token: customer,
      json: { lat: 12.9352, lng: 77.6245 },
    });
    const storeId = here.body.storeId as string;
    const category = (await categoryTree())[0]!;
    const page = await api('GET', `/v1/categories/${category.id}/products?limit=2`);
    const [low, gone] = (page.body.items as { id: string }[]).map((p) => p.id);
    const skuOf = async (id: string) => (await api('GET', `/v1/products/${id}`)).body.sku as string;

    const file = join(dataDir, 'koramangala.csv');
    writeFileSync(
      file,
      `sku,quantity,reason\r\n${await skuOf(low!)},3,recount\r\n${await skuOf(gone!)},0,spoiled\r\nNO-SUCH-SKU,5,\r\n`,
    );
    const statuses: string[] = [];
    const done = await uploadInventory({
      baseUrl: platform.url,
      file,
      storeId,
      email: 'merchant@demo.zepto.local',
      password: DEFAULT_DEMO_PASSWORD,
      pollMs: 50,
      onProgress: (v) => statuses.push(v.status),
    });
    expect(done).toMatchObject({
      status: 'PARTIALLY_APPLIED',
      counts: { rows: 3, valid: 2, applied: 2, rejected: 1 },
      errors: [expect.objectContaining({ line: 4, column: 'sku' })],
      reportUrl: expect.any(String),
    });
    expect(statuses.at(-1)).toBe('PARTIALLY_APPLIED');

    const availability = async (id: string) =>
      (await api('GET', `/v1/products/${id}`, { token: customer })).body.availability;
    expect(await availability(low!)).toEqual({ storeId, status: 'low_stock', quantity: 3 });
    expect(await availability(gone!)).toMatchObject({ storeId, status: 'out_of_stock' });
  });

  it('may not import without the merchant role (403), and the tool says so', async () => {
    const file = join(dataDir, 'other.csv');
    writeFileSync(file, 'sku,quantity\n');
    const anyStore = (await api('GET', '/v1/serviceability?lat=19.0596&lng=72.8295')).body.storeId as string;
    await expect(
      uploadInventory({
        baseUrl: platform.url,
        file,
        storeId: anyStore,
        email: 'staff@demo.zepto.local',
        password: DEFAULT_DEMO_PASSWORD,
      }),
    ).rejects.toThrow(/403/);
  });
});

describe('the seeded admin', () => {
  it('creates a product that customers can then see', async () => {
    const token = await login('admin@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    const [category] = await categoryTree();
    const leaf = category!.children[0] ?? category!;
    const input = newProduct(leaf.id);

    const created = await api('POST', '/v1/admin/products', { token, json: input });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...input, id: expect.any(String), currency: 'INR' });

    const fetched = await api('GET', `/v1/products/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: created.body.id, sku: input.sku });
  });
});

describe('the cache through the real function bundles', () => {
  it('is reached by the bundled functions: the warm-up stores the tree, products and stock lines', async () => {
    const admin = await login('admin@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    // Zero would mean the bundles could not load or reach Redis (the cache fails open, silently to a client).
    // A write may also miss its 50 ms budget on a loaded machine, so a zero is tried again, a few times.
    let warm = await api('POST', '/v1/admin/cache/warm', { token: admin });
    for (let attempt = 1; attempt < 4 && warm.body.warmed?.tree === 0; attempt++)
      warm = await api('POST', '/v1/admin/cache/warm', { token: admin });
    expect(warm.status).toBe(202);
    expect(warm.body.cacheEnabled).toBe(true);
    expect(warm.body.warmed).toMatchObject({ tree: 1 });
    expect(warm.body.warmed.products).toBeGreaterThan(0);
    expect(warm.body.warmed.stock).toBeGreaterThan(0);
  });
});

describe('the authorizer', () => {
  const cognitoLocalKey = () => {
    const file = join(
      require.resolve('cognito-local/package.json'),
      '..',
      'lib',
      'keys',
      'cognitoLocal.private.json',
    );
    const { jwk } = JSON.parse(readFileSync(file, 'utf8')) as { jwk: Record<string, string> };
    return importJWK(jwk, 'RS256') as Promise<CryptoKey>;
  };

  const accessClaims = () => ({
    sub: '00000000-0000-4000-8000-000000000000',
    username: '00000000-0000-4000-8000-000000000000',
    client_id: platform.resources.userPool.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': ['admin'],
  });

  const sign = (key: CryptoKey, opts: { issuer: string; exp: number | string }) =>
    new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .setIssuer(opts.issuer)
      .setIssuedAt()
      .setExpirationTime(opts.exp)
      .sign(key);

  it('refuses a request without a token', async () => {
    expect(await api('GET', '/v1/me')).toMatchObject({ status: 401, body: { title: 'Unauthorized' } });
  });

  it('refuses a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await sign(privateKey, { issuer: platform.resources.issuer, exp: '1h' });
    expect(await api('GET', '/v1/me', { token: forged })).toMatchObject({
      status: 401,
      body: { title: 'Unauthorized', detail: 'Unauthorized' },
    });
  });

  it("refuses an expired token signed with the user pool's own key", async () => {
    const expired = await sign(await cognitoLocalKey(), {
      issuer: platform.resources.issuer,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    expect(await api('GET', '/v1/me', { token: expired })).toMatchObject({
      status: 401,
      body: { title: 'Unauthorized', detail: 'The incoming token has expired' },
    });
  });

  it('refuses a token from another issuer, even with the right key', async () => {
    const foreign = await sign(await cognitoLocalKey(), {
      issuer: 'http://127.0.0.1:1/other_pool',
      exp: '1h',
    });
    expect(await api('GET', '/v1/me', { token: foreign })).toMatchObject({ status: 401 });
  });
});

describe('bad input on a POST route', () => {
  let adminToken: string;
  let categoryId: string;

  beforeAll(async () => {
    adminToken = await login('admin@demo.zepto.local', DEFAULT_DEMO_PASSWORD);
    categoryId = (await categoryTree())[0]!.id;
  });

  const expectProblem = (res: Reply, status: number) => {
    expect(res.status).toBe(status);
    expect(res.contentType).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  };

  it('answers malformed JSON with 400', async () => {
    expectProblem(await api('POST', '/v1/admin/products', { token: adminToken, raw: '{"sku": "ABC",' }), 400);
    expectProblem(await api('POST', '/v1/auth/register', { raw: 'not json' }), 400);
  });

  it('answers unknown fields with 400 naming them', async () => {
    const res = await api('POST', '/v1/admin/products', {
      token: adminToken,
      json: { ...newProduct(categoryId), discountPercent: 90 },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ in: 'body', field: 'discountPercent' }));
  });

  it('answers a 70 KB body with 413', async () => {
    const res = await api('POST', '/v1/admin/products', {
      token: adminToken,
      json: { ...newProduct(categoryId), description: 'x'.repeat(70 * 1024) },
    });
    expectProblem(res, 413);
  });
});
