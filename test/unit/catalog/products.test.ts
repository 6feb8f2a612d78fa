import { encodeCursor } from '../../../functions/shared/http/cursor';
import type { CreateProductInput } from '../../../functions/catalog/admin-contracts';
import { createImageUploadUrl } from '../../../functions/catalog/use-cases/images';
import {
  createProduct,
  deleteProduct,
  getPublicProduct,
  listCategoryProducts,
  updateProduct,
} from '../../../functions/catalog/use-cases/products';
import { productSummary } from '../../../functions/catalog/views';
import { aCategory, aProduct, fakeDeps, FakeSigner, testId } from './fakes';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: { status: number; errors?: { field: string }[] }) => ({
      status: error.status,
      fields: (error.errors ?? []).map((e) => e.field),
    }),
  );

function world() {
  const deps = fakeDeps();
  const top = deps.repository.seedCategory(aCategory({ name: 'Dairy' }));
  const sub = deps.repository.seedCategory(aCategory({ name: 'Milk', parentId: top.id }));
  return { deps, top, sub };
}

const input = (categoryId: string, overrides: Partial<CreateProductInput> = {}): CreateProductInput => ({
  sku: 'AMUL-TAAZA-500',
  name: 'Amul Taaza Toned Milk',
  slug: 'amul-taaza-500-ml',
  categoryId,
  unit: '500 ml',
  pricePaise: 2800,
  mrpPaise: 2900,
  currency: 'INR',
  imageKeys: [],
  tags: ['milk'],
  isActive: true,
  maxPerOrder: 10,
  ...overrides,
});

describe('createProduct', () => {
  it('stores the product and counts it in its category', async () => {
    const { deps, sub } = world();
    const product = await createProduct(deps, input(sub.id));
    expect(deps.repository.products.get(product.id)).toEqual(product);
    expect(deps.repository.categories.get(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 1 });
  });

  it('counts an inactive product, but not as active', async () => {
    const { deps, sub } = world();
    await createProduct(deps, input(sub.id, { isActive: false }));
    expect(deps.repository.categories.get(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 0 });
  });

  it('refuses an unknown category with 404 on categoryId and writes nothing', async () => {
    const { deps } = world();
    expect(await rejection(createProduct(deps, input(testId(404))))).toMatchObject({
      status: 404,
      fields: ['categoryId'],
    });
    expect(deps.repository.writes).toBe(0);
  });

  it('refuses an MRP below the price with 400 on mrpPaise', async () => {
    const { deps, sub } = world();
    expect(
      await rejection(createProduct(deps, input(sub.id, { pricePaise: 3000, mrpPaise: 2999 }))),
    ).toMatchObject({
      status: 400,
      fields: ['mrpPaise'],
    });
    expect(deps.repository.writes).toBe(0);
  });

  it('refuses a duplicate SKU with 409 on sku', async () => {
    const { deps, sub } = world();
    await createProduct(deps, input(sub.id));
    expect(await rejection(createProduct(deps, input(sub.id, { slug: 'other-slug' })))).toMatchObject({
      status: 409,
      fields: ['sku'],
    });
  });

  it('refuses a duplicate product slug with 409 on slug, even when a category has the same slug', async () => {
    const { deps, sub } = world();
    deps.repository.seedCategory(aCategory({ slug: 'milk-things' }));
    await createProduct(deps, input(sub.id, { slug: 'milk-things' }));
    expect(
      await rejection(createProduct(deps, input(sub.id, { sku: 'OTHER-SKU', slug: 'milk-things' }))),
    ).toMatchObject({ status: 409, fields: ['slug'] });
  });

  it('answers 404 when the category is deleted between the read and the write', async () => {
    const { deps, top } = world();
    const lone = deps.repository.seedCategory(aCategory());
    deps.repository.beforeNextWrite = () => deps.repository.categories.delete(lone.id);
    expect((await rejection(createProduct(deps, input(lone.id)))).status).toBe(404);
    expect(deps.repository.products.size).toBe(0);
    expect(top).toBeDefined();
  });

  it("refuses image keys that are not this product's uploads (400 on each key) and writes nothing", async () => {
    const { deps, sub } = world();
    const other = deps.repository.seedProduct(aProduct(sub.id));
    const foreign = `products/${other.id}/${testId(77)}.png`;
    expect(await rejection(createProduct(deps, input(sub.id, { imageKeys: [foreign] })))).toEqual({
      status: 400,
      fields: ['imageKeys.0'],
    });
    expect(deps.repository.writes).toBe(0);
  });

  it('answers 409 when the category is moved between the read and the write', async () => {
    const { deps, top } = world();
    const lone = deps.repository.seedCategory(aCategory());
    deps.repository.beforeNextWrite = () =>
      deps.repository.categories.set(lone.id, { ...lone, parentId: top.id });
    expect((await rejection(createProduct(deps, input(lone.id)))).status).toBe(409);
  });
});

describe('updateProduct', () => {
  it('changes only the fields sent and clears brand with null', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id, { brand: 'Amul', description: 'Fresh' }));
    const after = await updateProduct(deps, before.id, { brand: null, pricePaise: 4000 });
    expect(after).toMatchObject({ brand: undefined, description: 'Fresh', pricePaise: 4000, version: 2 });
  });

  it('checks the price rule on the merged product: a price above the current MRP is a 400 on pricePaise', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id, { pricePaise: 4500, mrpPaise: 5000 }));
    expect(await rejection(updateProduct(deps, before.id, { pricePaise: 5001 }))).toMatchObject({
      status: 400,
      fields: ['pricePaise'],
    });
    expect(await rejection(updateProduct(deps, before.id, { mrpPaise: 4499 }))).toMatchObject({
      status: 400,
      fields: ['mrpPaise'],
    });
    expect(deps.repository.writes).toBe(0);
  });

  it('moves the product between categories and both counters follow', async () => {
    const { deps, top, sub } = world();
    const other = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    const before = deps.repository.seedProduct(aProduct(sub.id));
    await updateProduct(deps, before.id, { categoryId: other.id });
    expect(deps.repository.categories.get(sub.id)).toMatchObject({ productCount: 0, activeProductCount: 0 });
    expect(deps.repository.categories.get(other.id)).toMatchObject({
      productCount: 1,
      activeProductCount: 1,
    });
  });

  it('refuses a move to an unknown category with 404 on categoryId', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id));
    expect(await rejection(updateProduct(deps, before.id, { categoryId: testId(404) }))).toMatchObject({
      status: 404,
      fields: ['categoryId'],
    });
  });

  it('swaps the slug and SKU claims', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id));
    await updateProduct(deps, before.id, { slug: 'new-slug', sku: 'NEW-SKU' });
    expect(deps.repository.productSlugs.has(before.slug)).toBe(false);
    expect(deps.repository.skus.has(before.sku)).toBe(false);
    expect(deps.repository.productSlugs.get('new-slug')).toBe(before.id);
    expect(deps.repository.skus.get('NEW-SKU')).toBe(before.id);
  });

  it("refuses another product's SKU with 409", async () => {
    const { deps, sub } = world();
    const other = deps.repository.seedProduct(aProduct(sub.id));
    const mine = deps.repository.seedProduct(aProduct(sub.id));
    expect(await rejection(updateProduct(deps, mine.id, { sku: other.sku }))).toMatchObject({
      status: 409,
      fields: ['sku'],
    });
  });

  it('deactivating takes the product out of the active count', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id));
    await updateProduct(deps, before.id, { isActive: false });
    expect(deps.repository.categories.get(sub.id)).toMatchObject({ productCount: 1, activeProductCount: 0 });
  });

  it("takes only keys under products/<this product's id>/ (400 on each other key)", async () => {
    const { deps, sub } = world();
    const other = deps.repository.seedProduct(aProduct(sub.id));
    const mine = deps.repository.seedProduct(aProduct(sub.id));
    const own = `products/${mine.id}/${testId(1)}.jpg`;
    const foreign = `products/${other.id}/${testId(2)}.jpg`;
    expect(await rejection(updateProduct(deps, mine.id, { imageKeys: [own, foreign] }))).toEqual({
      status: 400,
      fields: ['imageKeys.1'],
    });
    expect(deps.repository.writes).toBe(0);
    expect((await updateProduct(deps, mine.id, { imageKeys: [own] })).imageKeys).toEqual([own]);
  });

  it('writes nothing for a PATCH that changes nothing (same version, same updatedAt, no category reads)', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id, { tags: ['milk', 'fresh'] }));
    const same = {
      name: before.name,
      slug: before.slug,
      sku: before.sku,
      categoryId: sub.id,
      isActive: true,
      tags: ['milk', 'fresh'],
      pricePaise: before.pricePaise,
      brand: null,
    };
    expect(await updateProduct(deps, before.id, same)).toEqual(before);
    expect(deps.repository.writes).toBe(0);
    expect(deps.repository.products.get(before.id)).toEqual(before);
    // Tags in another order are a change.
    expect((await updateProduct(deps, before.id, { tags: ['fresh', 'milk'] })).version).toBe(2);
  });

  it('answers 409 on a concurrent edit and 404 for an unknown product', async () => {
    const { deps, sub } = world();
    const before = deps.repository.seedProduct(aProduct(sub.id));
    deps.repository.beforeNextWrite = () =>
      deps.repository.products.set(before.id, { ...before, version: 7 });
    expect((await rejection(updateProduct(deps, before.id, { name: 'Mine' }))).status).toBe(409);
    expect((await rejection(updateProduct(deps, testId(404), { name: 'Mine' }))).status).toBe(404);
  });
});

describe('deleteProduct and getPublicProduct', () => {
  it('deletes a product, frees its slug and SKU and uncounts it', async () => {
    const { deps, sub } = world();
    const product = deps.repository.seedProduct(aProduct(sub.id));
    await deleteProduct(deps, product.id);
    expect(deps.repository.products.has(product.id)).toBe(false);
    expect(deps.repository.productSlugs.has(product.slug)).toBe(false);
    expect(deps.repository.skus.has(product.sku)).toBe(false);
    expect(deps.repository.categories.get(sub.id)?.productCount).toBe(0);
  });

  it('answers 404 when deleting an unknown product', async () => {
    expect((await rejection(deleteProduct(fakeDeps(), testId(404)))).status).toBe(404);
  });

  it('shows an active product and hides an inactive one as 404', async () => {
    const { deps, sub } = world();
    const active = deps.repository.seedProduct(aProduct(sub.id));
    const hidden = deps.repository.seedProduct(aProduct(sub.id, { isActive: false }));
    await expect(getPublicProduct(deps, active.id)).resolves.toEqual(active);
    expect((await rejection(getPublicProduct(deps, hidden.id))).status).toBe(404);
    expect((await rejection(getPublicProduct(deps, testId(404)))).status).toBe(404);
  });
});

describe('listCategoryProducts', () => {
  function stocked(count: number) {
    const w = world();
    const names = ['Banana', 'apple', 'Cherry', 'Date', 'Elderberry', 'Fig', 'Grape', 'Apple'];
    for (let i = 0; i < count; i++)
      w.deps.repository.seedProduct(
        aProduct(w.sub.id, { name: `${names[i % names.length]} ${Math.floor(i / 8)}` }),
      );
    return w;
  }

  async function pageThrough(deps: ReturnType<typeof fakeDeps>, categoryId: string, limit: number) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listCategoryProducts(deps, { categoryId, limit, cursor });
      pages.push(page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 100);
    return pages;
  }

  it('pages through every active product exactly once, in name order, without an empty last page', async () => {
    const { deps, sub } = stocked(23);
    const pages = await pageThrough(deps, sub.id, 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 2]);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(23);
    const names = ids.map((id) => deps.repository.products.get(id)!.name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it('answers nextCursor null when everything fits on one page', async () => {
    const { deps, sub } = stocked(7);
    const page = await listCategoryProducts(deps, { categoryId: sub.id, limit: 7 });
    expect(page.items).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
  });

  it('lists only active products', async () => {
    const { deps, sub } = world();
    const visible = deps.repository.seedProduct(aProduct(sub.id));
    deps.repository.seedProduct(aProduct(sub.id, { isActive: false }));
    const page = await listCategoryProducts(deps, { categoryId: sub.id, limit: 20 });
    expect(page.items.map((p) => p.id)).toEqual([visible.id]);
  });

  it("lists a top-level category's own products and all its subcategories' products", async () => {
    const { deps, top, sub } = world();
    const cheese = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    const elsewhere = deps.repository.seedCategory(aCategory());
    const a = deps.repository.seedProduct(aProduct(sub.id));
    const b = deps.repository.seedProduct(aProduct(cheese.id));
    const c = deps.repository.seedProduct(aProduct(top.id));
    deps.repository.seedProduct(aProduct(elsewhere.id));
    const page = await listCategoryProducts(deps, { categoryId: top.id, limit: 20 });
    expect(page.items.map((p) => p.id).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it("refuses a cursor from another category's listing with 400", async () => {
    const { deps, top, sub } = stocked(10);
    const first = await listCategoryProducts(deps, { categoryId: sub.id, limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const result = await rejection(
      listCategoryProducts(deps, { categoryId: top.id, limit: 3, cursor: first.nextCursor! }),
    );
    expect(result).toMatchObject({ status: 400, fields: ['cursor'] });
  });

  it.each([
    ['garbage', 'not a cursor'],
    [encodeCursor({ pk: 'PRODUCT#x', sk: 'PRODUCT' }, 'category-products:SUB'), 'a raw table key'],
    [encodeCursor({ n: 'Apple', id: testId(1) }, 'category-products:SUB'), 'an upper-case sort name'],
    [encodeCursor({ n: 'apple', id: 'x' }, 'category-products:SUB'), 'a bad id'],
    [encodeCursor({ n: 'apple', id: testId(1), extra: 1 }, 'category-products:SUB'), 'an extra field'],
  ])('refuses a forged cursor (%s: %s) with 400', async (cursor) => {
    const { deps, sub } = stocked(3);
    const forged = cursor.length > 20 ? reScope(cursor, sub.id) : cursor;
    expect(
      (await rejection(listCategoryProducts(deps, { categoryId: sub.id, limit: 3, cursor: forged }))).status,
    ).toBe(400);
  });

  it('answers 404 for an unknown category', async () => {
    expect(
      (await rejection(listCategoryProducts(fakeDeps(), { categoryId: testId(404), limit: 3 }))).status,
    ).toBe(404);
  });

  it('summarises products with their first image', async () => {
    const { sub } = world();
    const key = `products/${testId(1)}/${testId(2)}.jpg`;
    const summary = productSummary(aProduct(sub.id, { brand: 'Amul', imageKeys: [key] }));
    expect(summary).toMatchObject({ brand: 'Amul', imageKey: key, currency: 'INR' });
    expect(summary).not.toHaveProperty('sku');
  });
});

/** Re-scopes a test cursor to a real category id (the scope is part of what is checked). */
function reScope(cursor: string, categoryId: string): string {
  const json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  json.s = `category-products:${categoryId}`;
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('createImageUploadUrl', () => {
  it("signs a 5-minute PUT for a new key under the product's prefix, with type and length", async () => {
    const { deps, sub } = world();
    const product = deps.repository.seedProduct(aProduct(sub.id));
    const signer = new FakeSigner();
    const upload = await createImageUploadUrl({ ...deps, signer }, product.id, {
      contentType: 'image/webp',
      contentLength: 12345,
    });
    expect(upload.key).toMatch(new RegExp(`^products/${product.id}/[0-9A-HJKMNP-TV-Z]{26}\\.webp$`));
    expect(upload).toMatchObject({
      method: 'PUT',
      expiresIn: 300,
      headers: { 'Content-Type': 'image/webp', 'Content-Length': '12345' },
    });
    expect(signer.requests).toEqual([
      { key: upload.key, contentType: 'image/webp', contentLength: 12345, expiresInSeconds: 300 },
    ]);
  });

  it('answers 404 for an unknown product without signing', async () => {
    const signer = new FakeSigner();
    const result = await rejection(
      createImageUploadUrl({ ...fakeDeps(), signer }, testId(404), {
        contentType: 'image/png',
        contentLength: 1,
      }),
    );
    expect(result.status).toBe(404);
    expect(signer.requests).toEqual([]);
  });
});
