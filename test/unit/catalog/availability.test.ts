import { ulid } from 'ulid';
import { getProductAt, listCategoryProductsAt } from '../../../functions/catalog/use-cases/availability';
import { createCategory } from '../../../functions/catalog/use-cases/categories';
import { createProduct } from '../../../functions/catalog/use-cases/products';
import type { StockLine } from '../../../functions/shared/published/stock';
import { fakeDeps } from './fakes';

function setup() {
  const base = fakeDeps();
  const calls: string[][] = [];
  const lines = new Map<string, StockLine>();
  const deps = {
    ...base,
    stock: {
      linesFor: async (storeId: string, ids: readonly string[]) => {
        calls.push([...ids]);
        return new Map([...lines].filter(([id, l]) => ids.includes(id) && l.storeId === storeId));
      },
    },
    savedStores: { storeOf: async (userId: string) => (userId === 'saved' ? 'STORE-S' : undefined) },
  };
  return { deps, calls, lines };
}

describe('availability in the catalogue', () => {
  it('reads a whole listing page with one stock call, and none without a store', async () => {
    const { deps, calls } = setup();
    const category = await createCategory(deps, { name: 'Fruit', slug: 'fruit', sortOrder: 0 });
    for (let i = 0; i < 5; i++)
      await createProduct(deps, {
        sku: `SKU-${i}00`,
        name: `Apple ${i}`,
        slug: `apple-${i}`,
        categoryId: category.id,
        unit: '1 kg',
        pricePaise: 100,
        mrpPaise: 100,
        currency: 'INR',
        imageKeys: [],
        tags: [],
        isActive: true,
        maxPerOrder: 10,
      });
    const page = await listCategoryProductsAt(
      deps,
      { categoryId: category.id, limit: 10 },
      { storeId: 'STORE-A' },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(5);
    expect(page.items.every((i) => i.availability?.status === 'out_of_stock')).toBe(true);
    const none = await listCategoryProductsAt(deps, { categoryId: category.id, limit: 10 }, {});
    expect(calls).toHaveLength(1);
    expect(none.items.every((i) => i.availability === undefined)).toBe(true);
  });

  it('prefers ?storeId= over the saved location, and uses the saved location otherwise', async () => {
    const { deps, lines } = setup();
    const category = await createCategory(deps, { name: 'Veg', slug: 'veg', sortOrder: 0 });
    const p = await createProduct(deps, {
      sku: 'SKU-ONE',
      name: 'Onion',
      slug: 'onion',
      categoryId: category.id,
      unit: '1 kg',
      pricePaise: 100,
      mrpPaise: 100,
      currency: 'INR',
      imageKeys: [],
      tags: [],
      isActive: true,
      maxPerOrder: 10,
    });
    lines.set(p.id, {
      storeId: 'STORE-S',
      productId: p.id,
      available: 9,
      reserved: 0,
      version: 1,
      updatedAt: 't',
    });
    expect((await getProductAt(deps, p.id, { userId: 'saved' })).availability).toEqual({
      storeId: 'STORE-S',
      status: 'in_stock',
    });
    expect(
      (await getProductAt(deps, p.id, { userId: 'saved', storeId: 'STORE-X' })).availability?.storeId,
    ).toBe('STORE-X');
    expect((await getProductAt(deps, p.id, { userId: ulid() })).availability).toBeUndefined();
  });
});
