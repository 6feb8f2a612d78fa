import { isDeepStrictEqual } from 'node:util';
import { createCategoryBody, createProductBody } from '../../../functions/catalog/admin-contracts';
import { ULID_PATTERN } from '../../../functions/catalog/domain';
import { catalogSeedData, deterministicUlid, MAX_SEED_PRODUCTS } from '../../../local/seed/catalog-data';

/** The object without its undefined properties (absent and undefined mean the same to the API). */
const definedOnly = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('demo catalogue data', () => {
  const full = catalogSeedData(MAX_SEED_PRODUCTS);

  it('has a two-level tree of at least 20 categories, every subcategory under a top-level one', () => {
    const tops = full.categories.filter((c) => !c.parentId);
    const subs = full.categories.filter((c) => c.parentId);
    expect(full.categories.length).toBeGreaterThanOrEqual(20);
    expect(tops.length).toBeGreaterThanOrEqual(10);
    const topIds = new Set(tops.map((c) => c.id));
    for (const s of subs) expect(topIds.has(s.parentId!)).toBe(true);
    for (const t of tops) expect(t.childCount).toBe(subs.filter((s) => s.parentId === t.id).length);
  });

  it('makes 50,000 products that each pass the create-product contract unchanged, with unique ids, SKUs and slugs', () => {
    expect(full.products).toHaveLength(MAX_SEED_PRODUCTS);
    // Unchanged: the API would store exactly this body (nothing trimmed, defaulted or dropped).
    const invalid = full.products.filter((p) => {
      // popularity is a ranking attribute (search sorts by it), not part of what an admin sends.
      const { id: _id, createdAt: _c, updatedAt: _u, version: _v, popularity: _p, ...body } = p;
      const parsed = createProductBody().safeParse(body);
      return (
        !parsed.success ||
        !isDeepStrictEqual(definedOnly(parsed.data), definedOnly(body)) ||
        !ULID_PATTERN.test(p.id)
      );
    });
    expect(invalid.slice(0, 3)).toEqual([]);
    for (const field of ['id', 'sku', 'slug'] as const)
      expect(new Set(full.products.map((p) => p[field])).size).toBe(MAX_SEED_PRODUCTS);
    for (const c of full.categories) {
      const body = definedOnly({
        name: c.name,
        slug: c.slug,
        parentId: c.parentId,
        description: c.description,
        imageUrl: c.imageUrl,
        sortOrder: c.sortOrder,
      });
      expect(createCategoryBody().parse(body)).toEqual(body);
    }
  });

  it('puts products in subcategories and counts them exactly', () => {
    const small = catalogSeedData(2000);
    const subIds = new Set(small.categories.filter((c) => c.parentId).map((c) => c.id));
    expect(small.products.every((p) => subIds.has(p.categoryId))).toBe(true);
    for (const c of small.categories) {
      const mine = small.products.filter((p) => p.categoryId === c.id);
      expect([c.productCount, c.activeProductCount]).toEqual([
        mine.length,
        mine.filter((p) => p.isActive).length,
      ]);
    }
    // The first 2000 already reach every subcategory, and a few products are delisted.
    expect(new Set(small.products.map((p) => p.categoryId)).size).toBe(subIds.size);
    expect(small.products.some((p) => !p.isActive)).toBe(true);
  });

  it('is deterministic: product i is the same whatever the count', () => {
    const small = catalogSeedData(300);
    expect(small.products).toEqual(full.products.slice(0, 300));
    expect(catalogSeedData(300)).toEqual(small);
    expect(small.categories.map((c) => c.id)).toEqual(full.categories.map((c) => c.id));
  });

  it('prices in whole rupees with the MRP never below the price', () => {
    for (const p of full.products) {
      expect(p.pricePaise % 100).toBe(0);
      expect(p.mrpPaise).toBeGreaterThanOrEqual(p.pricePaise);
    }
    const milk = full.products.find((p) => p.name === 'Amul Taaza Toned Milk' && p.unit === '500 ml')!;
    expect(milk.pricePaise).toBeGreaterThanOrEqual(2000);
    expect(milk.pricePaise).toBeLessThanOrEqual(4000);
  });

  it('refuses counts outside 0..50,000', () => {
    expect(() => catalogSeedData(MAX_SEED_PRODUCTS + 1)).toThrow(RangeError);
    expect(() => catalogSeedData(-1)).toThrow(RangeError);
    expect(catalogSeedData(0).products).toEqual([]);
  });

  it('builds valid ULIDs from a time and a key', () => {
    const id = deterministicUlid(Date.UTC(2025, 0, 1), 'x');
    expect(id).toMatch(ULID_PATTERN);
    expect(deterministicUlid(Date.UTC(2025, 0, 1), 'x')).toBe(id);
    expect(deterministicUlid(Date.UTC(2025, 0, 1), 'y')).not.toBe(id);
  });
});
