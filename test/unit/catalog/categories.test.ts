import {
  createCategory,
  deleteCategory,
  updateCategory,
} from '../../../functions/catalog/use-cases/categories';
import { categoryTree } from '../../../functions/catalog/views';
import { aCategory, aProduct, fakeDeps, testId } from './fakes';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: { status: number; message: string; errors?: { field: string }[] }) => ({
      status: error.status,
      fields: (error.errors ?? []).map((e) => e.field),
      message: error.message,
    }),
  );

describe('createCategory', () => {
  it('creates a top-level category with zero counters', async () => {
    const deps = fakeDeps();
    const created = await createCategory(deps, { name: 'Snacks', slug: 'snacks', sortOrder: 3 });
    expect(created).toMatchObject({
      name: 'Snacks',
      slug: 'snacks',
      sortOrder: 3,
      parentId: undefined,
      childCount: 0,
    });
    expect(deps.repository.categories.get(created.id)).toEqual(created);
  });

  it('creates a subcategory under a top-level category and counts it there', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const sub = await createCategory(deps, { name: 'Chips', slug: 'chips', parentId: top.id, sortOrder: 0 });
    expect(sub.parentId).toBe(top.id);
    expect(deps.repository.categories.get(top.id)?.childCount).toBe(1);
  });

  it('refuses an unknown parent with 404 on parentId', async () => {
    const deps = fakeDeps();
    const result = await rejection(
      createCategory(deps, { name: 'Chips', slug: 'chips', parentId: testId(999), sortOrder: 0 }),
    );
    expect(result).toMatchObject({ status: 404, fields: ['parentId'] });
    expect(deps.repository.writes).toBe(0);
  });

  it('refuses a third level with 409 on parentId', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    const result = await rejection(
      createCategory(deps, { name: 'Deep', slug: 'deep', parentId: sub.id, sortOrder: 0 }),
    );
    expect(result).toMatchObject({ status: 409, fields: ['parentId'] });
    expect(deps.repository.writes).toBe(0);
  });

  it('refuses a duplicate slug with 409 on slug', async () => {
    const deps = fakeDeps();
    deps.repository.seedCategory(aCategory({ slug: 'snacks' }));
    const result = await rejection(createCategory(deps, { name: 'Snacks 2', slug: 'snacks', sortOrder: 0 }));
    expect(result).toMatchObject({ status: 409, fields: ['slug'] });
  });

  it('refuses when the parent becomes a subcategory between the read and the write', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const other = deps.repository.seedCategory(aCategory());
    deps.repository.beforeNextWrite = () =>
      deps.repository.categories.set(top.id, { ...top, parentId: other.id });
    const result = await rejection(
      createCategory(deps, { name: 'Chips', slug: 'chips', parentId: top.id, sortOrder: 0 }),
    );
    expect(result.status).toBe(409);
    expect(deps.repository.writes).toBe(0);
  });
});

describe('updateCategory', () => {
  it('changes only the fields sent, bumps the version and clears fields sent as null', async () => {
    const deps = fakeDeps();
    const before = deps.repository.seedCategory(
      aCategory({ description: 'Old', imageUrl: 'https://x.example/a.png' }),
    );
    const after = await updateCategory(deps, before.id, { name: 'New name', description: null });
    expect(after).toMatchObject({
      name: 'New name',
      slug: before.slug,
      description: undefined,
      imageUrl: 'https://x.example/a.png',
      version: 2,
      updatedAt: '2025-01-02T03:04:05.000Z',
    });
  });

  it('moves a slug claim: the old slug is free again, the new one taken', async () => {
    const deps = fakeDeps();
    const before = deps.repository.seedCategory(aCategory({ slug: 'old-slug' }));
    await updateCategory(deps, before.id, { slug: 'new-slug' });
    expect(deps.repository.categorySlugs.get('new-slug')).toBe(before.id);
    expect(deps.repository.categorySlugs.has('old-slug')).toBe(false);
  });

  it("refuses another category's slug with 409", async () => {
    const deps = fakeDeps();
    deps.repository.seedCategory(aCategory({ slug: 'taken' }));
    const mine = deps.repository.seedCategory(aCategory());
    expect(await rejection(updateCategory(deps, mine.id, { slug: 'taken' }))).toMatchObject({
      status: 409,
      fields: ['slug'],
    });
  });

  it('keeps its own slug without a conflict', async () => {
    const deps = fakeDeps();
    const mine = deps.repository.seedCategory(aCategory({ slug: 'mine' }));
    await expect(updateCategory(deps, mine.id, { slug: 'mine', name: 'Renamed' })).resolves.toMatchObject({
      slug: 'mine',
    });
  });

  it('writes nothing for a PATCH that changes nothing (same version, same updatedAt)', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const before = deps.repository.seedCategory(
      aCategory({ parentId: top.id, description: 'Same', sortOrder: 3 }),
    );
    const same = {
      name: before.name,
      slug: before.slug,
      parentId: top.id,
      description: 'Same',
      sortOrder: 3,
    };
    expect(await updateCategory(deps, before.id, same)).toEqual(before);
    expect(await updateCategory(deps, before.id, { imageUrl: null })).toEqual(before);
    expect(deps.repository.writes).toBe(0);
    expect(deps.repository.categories.get(before.id)).toEqual(before);
  });

  it('answers 404 for an unknown category', async () => {
    expect((await rejection(updateCategory(fakeDeps(), testId(404), { name: 'X' }))).status).toBe(404);
  });

  it('refuses to make a category its own parent (400), before reading anything', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    expect(await rejection(updateCategory(deps, top.id, { parentId: top.id }))).toMatchObject({
      status: 400,
      fields: ['parentId'],
    });
  });

  it('refuses to put a category with children under another category (no third level, no cycle)', async () => {
    const deps = fakeDeps();
    const a = deps.repository.seedCategory(aCategory());
    const b = deps.repository.seedCategory(aCategory());
    deps.repository.seedCategory(aCategory({ parentId: a.id }));
    expect(await rejection(updateCategory(deps, a.id, { parentId: b.id }))).toMatchObject({
      status: 409,
      fields: ['parentId'],
    });
  });

  it('refuses to put a category under its own child', async () => {
    const deps = fakeDeps();
    const a = deps.repository.seedCategory(aCategory());
    const child = deps.repository.seedCategory(aCategory({ parentId: a.id }));
    expect((await rejection(updateCategory(deps, a.id, { parentId: child.id }))).status).toBe(409);
    expect(deps.repository.categories.get(a.id)?.parentId).toBeUndefined();
  });

  it('refuses a subcategory as the new parent', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    const lone = deps.repository.seedCategory(aCategory());
    expect(await rejection(updateCategory(deps, lone.id, { parentId: sub.id }))).toMatchObject({
      status: 409,
      fields: ['parentId'],
    });
  });

  it('refuses an unknown new parent with 404', async () => {
    const deps = fakeDeps();
    const lone = deps.repository.seedCategory(aCategory());
    expect(await rejection(updateCategory(deps, lone.id, { parentId: testId(404) }))).toMatchObject({
      status: 404,
      fields: ['parentId'],
    });
  });

  it('refuses to move a category that has products', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    deps.repository.seedProduct(aProduct(sub.id));
    expect(await rejection(updateCategory(deps, sub.id, { parentId: null }))).toMatchObject({
      status: 409,
      fields: ['parentId'],
    });
  });

  it('moves an empty subcategory to another parent and keeps both child counts right', async () => {
    const deps = fakeDeps();
    const a = deps.repository.seedCategory(aCategory());
    const b = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: a.id }));
    await updateCategory(deps, sub.id, { parentId: b.id });
    expect(deps.repository.categories.get(a.id)?.childCount).toBe(0);
    expect(deps.repository.categories.get(b.id)?.childCount).toBe(1);
  });

  it('promotes a subcategory to top-level with parentId null', async () => {
    const deps = fakeDeps();
    const a = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: a.id }));
    const after = await updateCategory(deps, sub.id, { parentId: null });
    expect(after.parentId).toBeUndefined();
    expect(deps.repository.categories.get(a.id)?.childCount).toBe(0);
  });

  it('answers 409 when the category was edited by someone else meanwhile', async () => {
    const deps = fakeDeps();
    const cat = deps.repository.seedCategory(aCategory());
    deps.repository.beforeNextWrite = () => deps.repository.categories.set(cat.id, { ...cat, version: 2 });
    expect((await rejection(updateCategory(deps, cat.id, { name: 'Mine' }))).status).toBe(409);
  });

  it('answers 409 when a product lands in the category while it is being moved', async () => {
    const deps = fakeDeps();
    const a = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: a.id }));
    deps.repository.beforeNextWrite = () => deps.repository.seedProduct(aProduct(sub.id));
    expect((await rejection(updateCategory(deps, sub.id, { parentId: null }))).status).toBe(409);
    expect(deps.repository.categories.get(sub.id)?.parentId).toBe(a.id);
  });
});

describe('deleteCategory', () => {
  it('deletes an empty subcategory, frees its slug and uncounts it from its parent', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    const sub = deps.repository.seedCategory(aCategory({ parentId: top.id }));
    await deleteCategory(deps, sub.id);
    expect(deps.repository.categories.has(sub.id)).toBe(false);
    expect(deps.repository.categorySlugs.has(sub.slug)).toBe(false);
    expect(deps.repository.categories.get(top.id)?.childCount).toBe(0);
  });

  it('refuses a category with subcategories (409)', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    deps.repository.seedCategory(aCategory({ parentId: top.id }));
    expect((await rejection(deleteCategory(deps, top.id))).status).toBe(409);
  });

  it('refuses a category with products, even inactive ones (409)', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    deps.repository.seedProduct(aProduct(top.id, { isActive: false }));
    expect((await rejection(deleteCategory(deps, top.id))).status).toBe(409);
  });

  it('refuses when a product arrives between the read and the delete (409)', async () => {
    const deps = fakeDeps();
    const top = deps.repository.seedCategory(aCategory());
    deps.repository.beforeNextWrite = () => deps.repository.seedProduct(aProduct(top.id));
    expect((await rejection(deleteCategory(deps, top.id))).status).toBe(409);
    expect(deps.repository.categories.has(top.id)).toBe(true);
  });

  it('answers 404 for an unknown category', async () => {
    expect((await rejection(deleteCategory(fakeDeps(), testId(404)))).status).toBe(404);
  });
});

describe('categoryTree', () => {
  it('nests subcategories under their parents, orders each level by sortOrder then name, and sums active products', () => {
    const veg = aCategory({ name: 'Vegetables', sortOrder: 1, activeProductCount: 1 });
    const dairy = aCategory({ name: 'Dairy', sortOrder: 0 });
    const apples = aCategory({ name: 'Apples', sortOrder: 5, parentId: veg.id, activeProductCount: 3 });
    const herbs = aCategory({ name: 'Herbs', sortOrder: 2, parentId: veg.id, activeProductCount: 2 });
    const bananas = aCategory({ name: 'Bananas', sortOrder: 2, parentId: veg.id, productCount: 9 });
    const tree = categoryTree([apples, veg, herbs, dairy, bananas]);
    expect(tree.map((n) => n.name)).toEqual(['Dairy', 'Vegetables']);
    expect(tree[1]?.children.map((n) => n.name)).toEqual(['Bananas', 'Herbs', 'Apples']);
    expect(tree[1]?.productCount).toBe(6);
    expect(tree[1]?.children[0]).toEqual({
      id: bananas.id,
      slug: bananas.slug,
      name: 'Bananas',
      sortOrder: 2,
      productCount: 0,
      children: [],
    });
    expect(tree[0]?.children).toEqual([]);
  });
});
