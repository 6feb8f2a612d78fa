/**
 * Catalogue handlers against DynamoDB Local and the S3 engine started by the Jest global setup. Every test
 * creates its own categories and products with unique slugs, so tests never depend on each other.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { handler as createCategory } from '../../../functions/catalog/handlers/create-category';
import { handler as createImageUploadUrl } from '../../../functions/catalog/handlers/create-image-upload-url';
import { handler as createProduct } from '../../../functions/catalog/handlers/create-product';
import { handler as deleteCategory } from '../../../functions/catalog/handlers/delete-category';
import { handler as deleteProduct } from '../../../functions/catalog/handlers/delete-product';
import { handler as getProduct } from '../../../functions/catalog/handlers/get-product';
import { handler as listCategories } from '../../../functions/catalog/handlers/list-categories';
import { handler as listCategoryProducts } from '../../../functions/catalog/handlers/list-category-products';
import { handler as updateCategory } from '../../../functions/catalog/handlers/update-category';
import { handler as updateProduct } from '../../../functions/catalog/handlers/update-product';
import { sortableName } from '../../../functions/catalog/domain';
import type { Role } from '../../../functions/shared/http/route';
import { productForSaleFromItem, productKey } from '../../../functions/shared/published/product';
import { testClients, testResources } from '../../support/engines';
import { auditCatalog } from './audit';
import { invoke, type TestResponse } from '../../support/lambda';

jest.setTimeout(30_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const tableName = resources.tableNames.Catalog!;
const bucket = resources.bucketNames.ProductImages!;
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const admin = { userId: 'admin-catalog', roles: ['admin'] as Role[] };
const customer = { userId: 'customer-catalog', roles: ['customer'] as Role[] };
const unique = () => ulid().toLowerCase();

interface Category {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  productCount: number;
  activeProductCount: number;
  childCount: number;
  updatedAt: string;
}
interface Product {
  id: string;
  sku: string;
  slug: string;
  name: string;
  categoryId: string;
  isActive: boolean;
  pricePaise: number;
  mrpPaise: number;
}

const created = (res: TestResponse, status = 201) => {
  if (res.status !== status)
    throw new Error(`Expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

type Caller = typeof admin;
/** Who calls: an admin unless said otherwise; `{ as: undefined }` is an anonymous call. */
type As = { as?: Caller };
const ADMIN: As = { as: admin };

const postCategory = (body: Record<string, unknown>, { as }: As = ADMIN) =>
  invoke(createCategory, { method: 'POST', path: '/v1/admin/categories', body, as });

async function newCategory(fields: Record<string, unknown> = {}): Promise<Category> {
  const tag = unique();
  return created(await postCategory({ name: `Category ${tag}`, slug: `cat-${tag}`, ...fields }));
}

const productBody = (categoryId: string, fields: Record<string, unknown> = {}) => {
  const tag = unique();
  return {
    sku: `SKU-${tag.slice(-12).toUpperCase()}`,
    name: `Product ${tag}`,
    slug: `prod-${tag}`,
    categoryId,
    unit: '500 g',
    pricePaise: 4500,
    mrpPaise: 5000,
    ...fields,
  };
};

const postProduct = (body: Record<string, unknown>, { as }: As = ADMIN) =>
  invoke(createProduct, { method: 'POST', path: '/v1/admin/products', body, as });

async function newProduct(categoryId: string, fields: Record<string, unknown> = {}): Promise<Product> {
  return created(await postProduct(productBody(categoryId, fields)));
}

const patchCategory = (categoryId: string, body: unknown, { as }: As = ADMIN) =>
  invoke(updateCategory, {
    method: 'PATCH',
    path: `/v1/admin/categories/${categoryId}`,
    pathParameters: { categoryId },
    body,
    as,
  });

const patchProduct = (productId: string, body: unknown, { as }: As = ADMIN) =>
  invoke(updateProduct, {
    method: 'PATCH',
    path: `/v1/admin/products/${productId}`,
    pathParameters: { productId },
    body,
    as,
  });

const listPage = (categoryId: string, query: Record<string, string> = {}) =>
  invoke(listCategoryProducts, {
    path: `/v1/categories/${categoryId}/products`,
    pathParameters: { categoryId },
    query,
  });

const removeProduct = (productId: string) =>
  invoke(deleteProduct, {
    method: 'DELETE',
    path: `/v1/admin/products/${productId}`,
    pathParameters: { productId },
    as: admin,
  });

const removeCategory = (categoryId: string) =>
  invoke(deleteCategory, {
    method: 'DELETE',
    path: `/v1/admin/categories/${categoryId}`,
    pathParameters: { categoryId },
    as: admin,
  });

const fetchProduct = (productId: string) =>
  invoke(getProduct, { path: `/v1/products/${productId}`, pathParameters: { productId } });

async function storedCategory(id: string): Promise<Record<string, unknown> | undefined> {
  return (await documents.send(new GetCommand({ TableName: tableName, Key: { pk: 'CATEGORY', sk: id } })))
    .Item;
}
async function guard(kind: 'CATEGORY_SLUG' | 'PRODUCT_SLUG' | 'PRODUCT_SKU', value: string) {
  return (
    await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: `${kind}#${value}`, sk: 'GUARD' } }),
    )
  ).Item;
}

async function allPages(categoryId: string, limit: number): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await listPage(categoryId, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((p: Product) => p.id));
    cursor = res.body.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 50);
  return { pages, ids };
}

describe('categories', () => {
  it('lets an admin build a two-level tree that the public category listing shows in order', async () => {
    const top = await newCategory({ sortOrder: 0 });
    const b = await newCategory({ parentId: top.id, name: `B ${unique()}`, sortOrder: 2 });
    const a = await newCategory({ parentId: top.id, name: `A ${unique()}`, sortOrder: 2 });
    const first = await newCategory({ parentId: top.id, name: `Z ${unique()}`, sortOrder: 1 });
    await newProduct(a.id);
    await newProduct(b.id, { isActive: false });

    const res = await invoke(listCategories, { path: '/v1/categories' });
    expect(res.status).toBe(200);
    const node = res.body.items.find((n: { id: string }) => n.id === top.id);
    expect(node.children.map((c: { id: string }) => c.id)).toEqual([first.id, a.id, b.id]);
    expect(node.productCount).toBe(1);
    expect(node.children[1]).toMatchObject({ id: a.id, productCount: 1, children: [] });
    expect(await storedCategory(top.id)).toMatchObject({ childCount: 3 });
  });

  it('answers 409 for a duplicate slug and exactly one of two concurrent creates with the same slug wins', async () => {
    const slug = `race-${unique()}`;
    const results = await Promise.all([
      postCategory({ name: 'One', slug }),
      postCategory({ name: 'Two', slug }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.headers['content-type']).toBe('application/problem+json');
    const winner = results.find((r) => r.status === 201)!;
    expect(await guard('CATEGORY_SLUG', slug)).toMatchObject({ categoryId: winner.body.id });
    expect((await postCategory({ name: 'Three', slug })).status).toBe(409);
  });

  it('refuses a third level (409), a missing parent (404) and writes nothing', async () => {
    const top = await newCategory();
    const sub = await newCategory({ parentId: top.id });
    const slug = `deep-${unique()}`;
    expect((await postCategory({ name: 'Deep', slug, parentId: sub.id })).status).toBe(409);
    expect((await postCategory({ name: 'Orphan', slug, parentId: ulid() })).status).toBe(404);
    expect(await guard('CATEGORY_SLUG', slug)).toBeUndefined();
    expect(await storedCategory(sub.id)).toMatchObject({ childCount: 0 });
  });

  it('refuses cycles: its own parent is a 400, under its own child a 409', async () => {
    const top = await newCategory();
    const child = await newCategory({ parentId: top.id });
    expect((await patchCategory(top.id, { parentId: top.id })).status).toBe(400);
    expect((await patchCategory(top.id, { parentId: child.id })).status).toBe(409);
    expect(await storedCategory(top.id)).not.toHaveProperty('parentId');
  });

  it('moves an empty subcategory between parents, renames and re-slugs it, freeing the old slug', async () => {
    const [a, b] = [await newCategory(), await newCategory()];
    const sub = await newCategory({ parentId: a.id });
    const slug = `moved-${unique()}`;
    const res = await patchCategory(sub.id, { parentId: b.id, slug, description: 'Moved' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parentId: b.id, slug, description: 'Moved' });
    expect(await storedCategory(a.id)).toMatchObject({ childCount: 0 });
    expect(await storedCategory(b.id)).toMatchObject({ childCount: 1 });
    expect(await guard('CATEGORY_SLUG', sub.slug)).toBeUndefined();
    expect((await newCategory({ slug: sub.slug })).slug).toBe(sub.slug);
  });

  it('refuses to move a category with products (409) and an empty PATCH (400)', async () => {
    const top = await newCategory();
    const sub = await newCategory({ parentId: top.id });
    await newProduct(sub.id);
    expect((await patchCategory(sub.id, { parentId: null })).status).toBe(409);
    expect((await patchCategory(sub.id, {})).status).toBe(400);
  });

  it('deletes only empty categories: 409 with subcategories or products, then 204, then 404', async () => {
    const top = await newCategory();
    const sub = await newCategory({ parentId: top.id });
    const product = await newProduct(sub.id, { isActive: false });
    const del = (id: string) =>
      invoke(deleteCategory, {
        method: 'DELETE',
        path: `/v1/admin/categories/${id}`,
        pathParameters: { categoryId: id },
        as: admin,
      });
    expect((await del(top.id)).status).toBe(409);
    expect((await del(sub.id)).status).toBe(409);
    const removed = await invoke(deleteProduct, {
      method: 'DELETE',
      path: `/v1/admin/products/${product.id}`,
      pathParameters: { productId: product.id },
      as: admin,
    });
    expect(removed.status).toBe(204);
    expect((await del(sub.id)).status).toBe(204);
    expect((await del(top.id)).status).toBe(204);
    expect((await del(top.id)).status).toBe(404);
    expect(await guard('CATEGORY_SLUG', top.slug)).toBeUndefined();
  });
});

describe('products', () => {
  it('creates a product with defaults and shows it publicly', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id, { tags: ['fresh'], brand: 'Amul' });
    expect(product).toMatchObject({ currency: 'INR', isActive: true, imageKeys: [], tags: ['fresh'] });
    const res = await fetchProduct(product.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(product);
    expect(await storedCategory(top.id)).toMatchObject({ productCount: 1, activeProductCount: 1 });
  });

  it('keeps the per-order maximum an admin sets, where the cart and checkout read it', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    expect(product).toMatchObject({ maxPerOrder: 10 });
    const limited = await newProduct(top.id, { maxPerOrder: 2 });
    expect(limited).toMatchObject({ maxPerOrder: 2 });
    expect((await patchProduct(product.id, { maxPerOrder: 4 })).body).toMatchObject({ maxPerOrder: 4 });
    const refused = await patchProduct(product.id, { maxPerOrder: 101 });
    expect(refused.status).toBe(400);
    // The published reader (cart validation, checkout) sees what the catalogue wrote.
    const stored = await documents.send(
      new GetCommand({ TableName: tableName, Key: productKey(product.id) }),
    );
    expect(productForSaleFromItem(stored.Item!)).toMatchObject({ productId: product.id, maxPerOrder: 4 });
    expect((await fetchProduct(product.id)).body).toMatchObject({ maxPerOrder: 4 });
  });

  it('hides an inactive product (404, not listed) until it is reactivated', async () => {
    const sub = await newCategory({ parentId: (await newCategory()).id });
    const product = await newProduct(sub.id, { isActive: false });
    expect((await fetchProduct(product.id)).status).toBe(404);
    expect((await listPage(sub.id)).body.items).toEqual([]);
    expect((await patchProduct(product.id, { isActive: true })).status).toBe(200);
    expect((await fetchProduct(product.id)).status).toBe(200);
    expect((await listPage(sub.id)).body.items.map((p: Product) => p.id)).toEqual([product.id]);
    expect(await storedCategory(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 1 });
  });

  it('exactly one of two concurrent creates with the same SKU wins', async () => {
    const top = await newCategory();
    const sku = `RACE-${unique().slice(-10).toUpperCase()}`;
    const results = await Promise.all([
      postProduct(productBody(top.id, { sku })),
      postProduct(productBody(top.id, { sku })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await storedCategory(top.id)).toMatchObject({ productCount: 1 });
  });

  it('refuses a duplicate product slug with 409 but allows a category to share it', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    const res = await postProduct(productBody(top.id, { slug: product.slug }));
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'slug' })]);
    expect((await newCategory({ slug: product.slug })).slug).toBe(product.slug);
  });

  it('writes nothing for a rejected create: bad price, broken text, unknown category, duplicate SKU, customer, oversized body', async () => {
    const top = await newCategory();
    const existing = await newProduct(top.id);
    const attempts: [Record<string, unknown>, number, Caller][] = [
      [productBody(top.id, { pricePaise: 6000, mrpPaise: 5000 }), 400, admin],
      [productBody(top.id, { name: 'Mango \ud83e' }), 400, admin],
      [productBody(top.id, { brand: 'Amul\u0000' }), 400, admin],
      [productBody(ulid()), 404, admin],
      [productBody(top.id, { sku: existing.sku }), 409, admin],
      [productBody(top.id), 403, customer],
      [productBody(top.id, { description: 'x'.repeat(70_000) }), 413, admin],
    ];
    for (const [body, status, as] of attempts) {
      const res = await postProduct(body, { as });
      expect(res.status).toBe(status);
      expect(await guard('PRODUCT_SLUG', String(body.slug))).toBeUndefined();
    }
    expect(await storedCategory(top.id)).toMatchObject({ productCount: 1, activeProductCount: 1 });
  });

  it('moves a product to another category: listings, counters and claims follow in one step', async () => {
    const [x, y] = [await newCategory(), await newCategory()];
    const subX = await newCategory({ parentId: x.id });
    const subY = await newCategory({ parentId: y.id });
    const product = await newProduct(subX.id);
    const slug = `renamed-${unique()}`;
    const res = await patchProduct(product.id, { categoryId: subY.id, slug, mrpPaise: 5500 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ categoryId: subY.id, slug, mrpPaise: 5500, pricePaise: 4500 });
    for (const [id, n] of [
      [subX.id, 0],
      [x.id, 0],
      [subY.id, 1],
      [y.id, 1],
    ] as const)
      expect((await listPage(id)).body.items).toHaveLength(n);
    expect(await storedCategory(subX.id)).toMatchObject({ productCount: 0 });
    expect(await storedCategory(subY.id)).toMatchObject({ productCount: 1 });
    expect(await guard('PRODUCT_SLUG', product.slug)).toBeUndefined();
    expect(await guard('PRODUCT_SLUG', slug)).toMatchObject({ productId: product.id });
  });

  it('never lets a product land in a category that is being deleted', async () => {
    for (let round = 0; round < 5; round++) {
      const top = await newCategory();
      const [create, remove] = await Promise.all([
        postProduct(productBody(top.id)),
        invoke(deleteCategory, {
          method: 'DELETE',
          path: `/v1/admin/categories/${top.id}`,
          pathParameters: { categoryId: top.id },
          as: admin,
        }),
      ]);
      const outcome = [create.status, remove.status];
      // Either the product won (and the delete saw it), or the delete won (and the product found no category).
      expect([
        [201, 409],
        [404, 204],
      ]).toContainEqual(outcome);
      if (create.status === 201) expect(await storedCategory(top.id)).toMatchObject({ productCount: 1 });
      else expect(await storedCategory(top.id)).toBeUndefined();
    }
  });

  it('answers a PATCH that changes nothing with the stored product and writes nothing', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    const stored = async () =>
      (
        await documents.send(
          new GetCommand({ TableName: tableName, Key: { pk: `PRODUCT#${product.id}`, sk: 'PRODUCT' } }),
        )
      ).Item;
    const same = await patchProduct(product.id, { name: product.name, categoryId: top.id, isActive: true });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(product);
    expect(await stored()).toMatchObject({ version: 1 });
    const sameCategory = await patchCategory(top.id, { name: top.name, parentId: null });
    expect(sameCategory.status).toBe(200);
    expect(sameCategory.body.updatedAt).toBe(top.updatedAt);
    expect(await storedCategory(top.id)).toMatchObject({ version: 1 });
  });

  it('checks the price rule against the stored MRP on PATCH', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    const res = await patchProduct(product.id, { pricePaise: 5001 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'pricePaise' })]);
    expect((await fetchProduct(product.id)).body.pricePaise).toBe(4500);
    expect((await patchProduct(product.id, { pricePaise: 5000 })).body).toMatchObject({
      pricePaise: 5000,
      mrpPaise: 5000,
    });
    expect((await patchProduct(product.id, { mrpPaise: 10_000_001 })).status).toBe(400);
    expect((await patchProduct(product.id, { mrpPaise: 10_000_000 })).status).toBe(200);
  });
});

describe('listing a category', () => {
  it('pages with limit 7 through every active product exactly once, for a subcategory and its parent', async () => {
    const top = await newCategory();
    const [s1, s2] = [await newCategory({ parentId: top.id }), await newCategory({ parentId: top.id })];
    const names = ['Mango', 'apple', 'Banana', 'cherry', 'Apple', 'date'];
    const made: Product[] = [];
    for (let i = 0; i < 24; i++)
      made.push(await newProduct(i % 3 === 0 ? s2.id : s1.id, { name: `${names[i % names.length]} ${i}` }));
    const hidden = await newProduct(s1.id, { isActive: false });
    const active = (category: string) => made.filter((p) => p.categoryId === category).map((p) => p.id);

    const sub = await allPages(s1.id, 7);
    expect(sub.ids.sort()).toEqual(active(s1.id).sort());
    expect(sub.pages).toBe(Math.ceil(active(s1.id).length / 7));

    const all = await allPages(top.id, 7);
    expect(all.ids).toHaveLength(24);
    expect(new Set(all.ids).size).toBe(24);
    expect(all.ids).not.toContain(hidden.id);
    expect(all.pages).toBe(4);
    const sortNames = all.ids.map((id) => sortableName(made.find((p) => p.id === id)!.name));
    expect(sortNames).toEqual([...sortNames].sort());
  });

  it("refuses another category's cursor and forged cursors with 400", async () => {
    const [a, b] = [await newCategory(), await newCategory()];
    for (let i = 0; i < 3; i++) await newProduct(a.id);
    const first = await listPage(a.id, { limit: '2' });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect((await listPage(b.id, { limit: '2', cursor: first.body.nextCursor })).status).toBe(400);
    expect((await listPage(a.id, { cursor: 'bm9wZQ' })).status).toBe(400);
    expect((await listPage(a.id, { cursor: first.body.nextCursor })).status).toBe(200);
  });

  it('validates ids and paging parameters (400) and answers 404 for an unknown category', async () => {
    const top = await newCategory();
    expect((await listPage('not-a-ulid')).status).toBe(400);
    expect((await listPage(top.id, { limit: '0' })).status).toBe(400);
    expect((await listPage(top.id, { limit: '101' })).status).toBe(400);
    expect((await listPage(top.id, { page: '2' })).status).toBe(400);
    expect((await listPage(ulid())).status).toBe(404);
    expect((await fetchProduct('01234')).status).toBe(400);
    expect((await fetchProduct(ulid())).status).toBe(404);
    expect((await patchProduct(ulid(), { name: 'X' })).status).toBe(404);
    expect((await patchCategory('bad', { name: 'X' })).status).toBe(400);
  });
});

describe('invariants under concurrency', () => {
  /** Runs requests at once and returns their statuses, in order. */
  const together = async (...requests: Promise<TestResponse>[]) =>
    (await Promise.all(requests)).map((r) => r.status);

  it('keeps every counter, guard and listing key exact through a storm of creates, deletes, toggles and moves', async () => {
    const top = await newCategory();
    const [s1, s2] = [await newCategory({ parentId: top.id }), await newCategory({ parentId: top.id })];
    const other = await newCategory();
    const o1 = await newCategory({ parentId: other.id });
    const homes = [top.id, s1.id, s2.id, other.id, o1.id];
    const made: Product[] = [];
    for (let i = 0; i < 15; i++)
      made.push(await newProduct(homes[i % 5]!, { isActive: i % 4 !== 0, name: `Storm ${i}` }));

    const statuses = await together(
      ...Array.from({ length: 8 }, (_, i) =>
        postProduct(productBody(homes[i % 5]!, { isActive: i % 2 === 0 })),
      ),
      removeProduct(made[0]!.id),
      removeProduct(made[0]!.id),
      removeProduct(made[1]!.id),
      patchProduct(made[2]!.id, { isActive: false }),
      patchProduct(made[2]!.id, { isActive: false }),
      patchProduct(made[3]!.id, { isActive: true }),
      patchProduct(made[4]!.id, { categoryId: o1.id, isActive: false }),
      patchProduct(made[5]!.id, { categoryId: s2.id }),
      patchProduct(made[5]!.id, { categoryId: other.id }),
      patchProduct(made[6]!.id, { categoryId: top.id, name: 'Moved and renamed' }),
      patchProduct(made[7]!.id, { isActive: false }),
      removeProduct(made[7]!.id),
      removeCategory(s2.id),
      patchCategory(top.id, { parentId: other.id }),
      patchCategory(s1.id, { parentId: null }),
    );
    // Creates never collide; of the two deletes of one product exactly one wins; non-empty categories stay.
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(201));
    expect(statuses.slice(8, 10).sort()).toEqual([204, 404]);
    expect(statuses.slice(-3)).toEqual([409, 409, 409]);

    expect(await auditCatalog(documents, tableName, [top.id, s1.id, s2.id, other.id, o1.id])).toEqual([]);
    // The top-level listings show exactly the active products under each root.
    for (const [root, members] of [
      [top, [top.id, s1.id, s2.id]],
      [other, [other.id, o1.id]],
    ] as const) {
      const listed = (await allPages(root.id, 5)).ids.sort();
      const counts = await Promise.all(members.map((id) => storedCategory(id)));
      expect(listed).toHaveLength(counts.reduce((n, c) => n + Number(c!.activeProductCount), 0));
      for (const id of listed) expect(members).toContain((await fetchProduct(id)).body.categoryId);
    }
  });

  it('keeps slugs unique when two renames swap slugs, or a rename races a create for the same slug', async () => {
    const top = await newCategory();
    const [a, b] = [await newProduct(top.id), await newProduct(top.id)];
    expect(
      await together(patchProduct(a.id, { slug: b.slug }), patchProduct(b.id, { slug: a.slug })),
    ).toEqual([409, 409]);
    const wanted = `wanted-${unique()}`;
    const [renamed, made] = await Promise.all([
      patchProduct(a.id, { slug: wanted }),
      postProduct(productBody(top.id, { slug: wanted })),
    ]);
    expect([renamed.status, made.status]).toContainEqual(409);
    expect([renamed.status, made.status].filter((n) => n !== 409)).toHaveLength(1);
    const owner = renamed.status === 200 ? a.id : made.body.id;
    expect(await guard('PRODUCT_SLUG', wanted)).toMatchObject({ productId: owner });

    const [c, d] = [await newCategory(), await newCategory()];
    expect(
      await together(patchCategory(c.id, { slug: d.slug }), patchCategory(d.id, { slug: c.slug })),
    ).toEqual([409, 409]);
    const slug = `cat-wanted-${unique()}`;
    const [renamedCategory, madeCategory] = await Promise.all([
      patchCategory(c.id, { slug }),
      postCategory({ name: 'Wants it', slug }),
    ]);
    expect([renamedCategory.status, madeCategory.status]).toContainEqual(409);
    expect([renamedCategory.status, madeCategory.status].filter((n) => n !== 409)).toHaveLength(1);
    const categoryOwner = renamedCategory.status === 200 ? c.id : madeCategory.body.id;
    expect(await guard('CATEGORY_SLUG', slug)).toMatchObject({ categoryId: categoryOwner });
    expect(await auditCatalog(documents, tableName, [top.id, c.id, d.id])).toEqual([]);
  });

  it('never leaves a subcategory under a deleted category, nor a deleted parent counted', async () => {
    for (let round = 0; round < 5; round++) {
      const top = await newCategory();
      const tag = unique();
      const [created, removed] = await Promise.all([
        postCategory({ name: `Sub ${tag}`, slug: `sub-${tag}`, parentId: top.id }),
        removeCategory(top.id),
      ]);
      expect([
        [201, 409],
        [404, 204],
      ]).toContainEqual([created.status, removed.status]);
      if (created.status === 201) expect(await storedCategory(top.id)).toMatchObject({ childCount: 1 });
      else expect(await guard('CATEGORY_SLUG', `sub-${tag}`)).toBeUndefined();
    }
  });

  it('deletes a product once: the second DELETE is a 404 and the counters move once', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    expect((await removeProduct(product.id)).status).toBe(204);
    expect((await removeProduct(product.id)).status).toBe(404);
    expect(await storedCategory(top.id)).toMatchObject({ productCount: 0, activeProductCount: 0 });
  });
});

describe('tree rules', () => {
  it('refuses to move a top-level category that has subcategories under another (409)', async () => {
    const [a, b] = [await newCategory(), await newCategory()];
    await newCategory({ parentId: a.id });
    const res = await patchCategory(a.id, { parentId: b.id });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parentId' })]);
    expect(await storedCategory(b.id)).toMatchObject({ childCount: 0 });
  });

  it('makes an empty subcategory top-level with parentId null; its new products list under it alone', async () => {
    const top = await newCategory();
    const sub = await newCategory({ parentId: top.id });
    const res = await patchCategory(sub.id, { parentId: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parentId: null });
    expect(await storedCategory(top.id)).toMatchObject({ childCount: 0 });
    const product = await newProduct(sub.id);
    expect((await listPage(sub.id)).body.items.map((p: Product) => p.id)).toEqual([product.id]);
    expect((await listPage(top.id)).body.items).toEqual([]);
    expect(await auditCatalog(documents, tableName, [top.id, sub.id])).toEqual([]);
  });
});

describe('listing a category while it changes', () => {
  const pageOf = async (categoryId: string, limit: number, cursor?: string) => {
    const res = await listPage(categoryId, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    return res.body as { items: Product[]; nextCursor: string | null };
  };

  it('walks a top-level category with many subcategories: every product present throughout exactly once, in order, while others are added and renamed', async () => {
    const top = await newCategory();
    const subs: Category[] = [];
    for (let i = 0; i < 8; i++) subs.push(await newCategory({ parentId: top.id }));
    const words = ['Atta', 'Besan', 'Chana', 'Dal', 'Elaichi', 'Falooda', 'Ghee', 'Haldi', 'Imli', 'Jeera'];
    const stable: Product[] = [];
    for (let i = 0; i < 30; i++)
      stable.push(
        await newProduct(subs[i % 8]!.id, { name: `${words[i % 10]} ${String(i).padStart(2, '0')}` }),
      );
    const movers: Product[] = [];
    for (let i = 0; i < 4; i++) movers.push(await newProduct(subs[i]!.id, { name: `Mover ${i}` }));

    const seen: Product[] = [];
    let cursor: string | undefined;
    let step = 0;
    do {
      const page = await pageOf(top.id, 4, cursor);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      // Between pages: products appear before and after the cursor, and movers jump around.
      await newProduct(subs[step % 8]!.id, { name: `Aaa added ${step}` });
      await newProduct(subs[step % 8]!.id, { name: `Zzz added ${step}` });
      if (step < movers.length) await patchProduct(movers[step]!.id, { name: `Zz mover ${step}` });
      step++;
    } while (cursor && step < 40);

    const ids = seen.map((p) => p.id);
    for (const p of stable) expect(ids.filter((id) => id === p.id)).toHaveLength(1);
    // A keyset cursor: each page starts after the last position shown, so positions never go back.
    const positions = seen.map((p) => `${sortableName(p.name)}#${p.id}`);
    expect(positions).toEqual([...positions].sort());
    // Added before the cursor: never shown; after it: shown once. A renamed product may show twice.
    expect(seen.filter((p) => p.name.startsWith('Aaa added'))).toEqual([]);
    expect(seen.filter((p) => p.name.startsWith('Zzz added')).length).toBeGreaterThan(0);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    for (const id of repeated) expect(movers.map((m) => m.id)).toContain(id);
  });

  it('pages with limit 1 and 100: no empty last page, nextCursor null at the end', async () => {
    const top = await newCategory();
    const made: string[] = [];
    for (let i = 0; i < 101; i++)
      made.push((await newProduct(top.id, { name: `Item ${String(i).padStart(3, '0')}` })).id);

    const one: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await pageOf(top.id, 1, cursor);
      expect(page.items).toHaveLength(1);
      one.push(page.items[0]!.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && one.length < 200);
    expect(one).toEqual(made);
    const hundred = await pageOf(top.id, 100);
    expect(hundred.items.map((p) => p.id)).toEqual(made.slice(0, 100));
    const last = await pageOf(top.id, 100, hundred.nextCursor!);
    expect(last).toEqual({ items: [expect.objectContaining({ id: made[100] })], nextCursor: null });
    await removeProduct(made[100]!);
    expect((await pageOf(top.id, 100)).nextCursor).toBeNull();
    // A cursor whose later products are all gone gives an empty last page.
    expect(await pageOf(top.id, 100, hundred.nextCursor!)).toEqual({ items: [], nextCursor: null });
  });

  it('continues after a product that was renamed, deactivated or deleted since its cursor was issued', async () => {
    const top = await newCategory();
    const made: Product[] = [];
    for (const name of ['Amla', 'Bajra', 'Chai', 'Dhania', 'Elaichi'])
      made.push(await newProduct(top.id, { name }));
    const first = await pageOf(top.id, 2);
    expect(first.items.map((p) => p.name)).toEqual(['Amla', 'Bajra']);
    await patchProduct(made[1]!.id, { name: 'Zafran' });
    expect((await pageOf(top.id, 2, first.nextCursor!)).items.map((p) => p.name)).toEqual(['Chai', 'Dhania']);
    await patchProduct(made[1]!.id, { isActive: false });
    expect((await pageOf(top.id, 2, first.nextCursor!)).items.map((p) => p.name)).toEqual(['Chai', 'Dhania']);
    await removeProduct(made[1]!.id);
    expect((await pageOf(top.id, 10, first.nextCursor!)).items.map((p) => p.name)).toEqual([
      'Chai',
      'Dhania',
      'Elaichi',
    ]);
  });

  it('answers 404 to a cursor of a category deleted since', async () => {
    const top = await newCategory();
    const products = [await newProduct(top.id), await newProduct(top.id)];
    const first = await pageOf(top.id, 1);
    for (const p of products) await removeProduct(p.id);
    expect((await removeCategory(top.id)).status).toBe(204);
    expect((await listPage(top.id, { limit: '1', cursor: first.nextCursor! })).status).toBe(404);
  });

  it('lists a reactivated product again, under its category and its top-level category', async () => {
    const top = await newCategory();
    const sub = await newCategory({ parentId: top.id });
    const product = await newProduct(sub.id);
    await patchProduct(product.id, { isActive: false });
    expect((await listPage(top.id)).body.items).toEqual([]);
    expect(await storedCategory(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 0 });
    await patchProduct(product.id, { isActive: true, name: 'Back again' });
    for (const id of [sub.id, top.id])
      expect((await listPage(id)).body.items.map((p: Product) => p.name)).toEqual(['Back again']);
    expect(await storedCategory(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 1 });
  });
});

describe('admin only', () => {
  it('refuses customers (403) and anonymous callers (401) on every admin route, writing nothing', async () => {
    const top = await newCategory();
    const product = await newProduct(top.id);
    const slug = `nope-${unique()}`;
    for (const as of [customer, undefined]) {
      const statuses = [
        (await postCategory({ name: 'N', slug }, { as })).status,
        (await patchCategory(top.id, { name: 'Hacked' }, { as })).status,
        (await patchProduct(product.id, { pricePaise: 1 }, { as })).status,
        (await postProduct(productBody(top.id), { as })).status,
        (
          await invoke(deleteProduct, {
            method: 'DELETE',
            path: `/v1/admin/products/${product.id}`,
            pathParameters: { productId: product.id },
            as,
          })
        ).status,
        (
          await invoke(createImageUploadUrl, {
            method: 'POST',
            path: `/v1/admin/products/${product.id}/image-upload-url`,
            pathParameters: { productId: product.id },
            body: { contentType: 'image/png', contentLength: 10 },
            as,
          })
        ).status,
      ];
      expect(statuses).toEqual(Array(6).fill(as ? 403 : 401));
    }
    expect(await guard('CATEGORY_SLUG', slug)).toBeUndefined();
    expect((await fetchProduct(product.id)).body).toEqual(product);
    expect(await storedCategory(top.id)).toMatchObject({ name: top.name, productCount: 1 });
  });
});

describe('image upload URL', () => {
  const askUrl = (productId: string, body: unknown) =>
    invoke(createImageUploadUrl, {
      method: 'POST',
      path: `/v1/admin/products/${productId}/image-upload-url`,
      pathParameters: { productId },
      body,
      as: admin,
    });

  it('signs a PUT that the S3 engine accepts, for exactly the declared type and size', async () => {
    const product = await newProduct((await newCategory()).id);
    const image = Buffer.from('not really a png, but 38 bytes long!!!');
    const res = await askUrl(product.id, { contentType: 'image/png', contentLength: image.length });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ method: 'PUT', expiresIn: 300 });
    expect(res.body.key).toMatch(new RegExp(`^products/${product.id}/[0-9A-Z]{26}\\.png$`));
    // Type and size are part of the signature, so S3 refuses any other (s3rver does not check V4 signatures).
    expect(new URL(res.body.uploadUrl).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
    expect(new URL(res.body.uploadUrl).searchParams.get('X-Amz-Expires')).toBe('300');

    const put = await fetch(res.body.uploadUrl, { method: 'PUT', headers: res.body.headers, body: image });
    expect(put.status).toBe(200);
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: res.body.key }));
    expect(head.ContentType).toBe('image/png');
    expect(head.ContentLength).toBe(image.length);
    const stored = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: res.body.key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(image);

    // The key can then be attached to the product.
    const patched = await patchProduct(product.id, { imageKeys: [res.body.key] });
    expect(patched.body.imageKeys).toEqual([res.body.key]);
  });

  it("refuses image keys under another product's prefix (400), on create and on PATCH", async () => {
    const top = await newCategory();
    const [owner, thief] = [await newProduct(top.id), await newProduct(top.id)];
    const res = await askUrl(owner.id, { contentType: 'image/jpeg', contentLength: 10 });
    const patchedKeys = await patchProduct(thief.id, { imageKeys: [res.body.key] });
    expect(patchedKeys.status).toBe(400);
    expect(patchedKeys.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'imageKeys.0' })]);
    const createdWith = await postProduct(productBody(top.id, { imageKeys: [res.body.key] }));
    expect(createdWith.status).toBe(400);
    expect((await fetchProduct(thief.id)).body.imageKeys).toEqual([]);
    expect(await storedCategory(top.id)).toMatchObject({ productCount: 2 });
  });

  it('refuses other types and files over 5 MiB (400) and unknown products (404)', async () => {
    const product = await newProduct((await newCategory()).id);
    expect((await askUrl(product.id, { contentType: 'image/gif', contentLength: 10 })).status).toBe(400);
    expect(
      (await askUrl(product.id, { contentType: 'image/png', contentLength: 5 * 1024 * 1024 + 1 })).status,
    ).toBe(400);
    expect((await askUrl(ulid(), { contentType: 'image/png', contentLength: 10 })).status).toBe(404);
  });
});
