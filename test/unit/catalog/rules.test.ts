import {
  comparePositions,
  isValidUnit,
  pricingErrors,
  sortableName,
  UNIT_PATTERN,
} from '../../../functions/catalog/domain';
import {
  createCategoryBody,
  createProductBody,
  imageUploadBody,
  updateCategoryBody,
  updateProductBody,
} from '../../../functions/catalog/admin-contracts';

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((i) => i.path.join('.'));

describe('pack size (unit)', () => {
  it.each([
    '500 g',
    '1 kg',
    '1 L',
    '250 ml',
    '6 pcs',
    '1 pack',
    '1.5 L',
    '12 pcs',
    '1 dozen',
    '2 x 200 g',
    '0.5 kg',
    '2 x 1.5 kg',
    '1.5 m',
    '10 rolls',
  ])('accepts %p', (unit) => expect(isValidUnit(unit)).toBe(true));

  it.each([
    ['500g', 'no space'],
    ['500 grams', 'unknown unit'],
    ['1 l', 'lower-case litre'],
    ['0 g', 'zero quantity'],
    ['0.0 kg', 'zero quantity with decimals'],
    ['-1 kg', 'negative'],
    ['kg', 'no number'],
    ['1 x 500 g', 'a multipack of one'],
    ['1,000 g', 'thousands separator'],
    [' 1 kg', 'leading space'],
    ['1 kg ', 'trailing space'],
    ['100000 g', 'more than five digits'],
    ['0500 g', 'a leading zero'],
    ['00.5 kg', 'a leading zero before the point'],
    ['1.5 pcs', 'a fraction of a piece'],
    ['2.5 packs', 'a fraction of a pack'],
    ['0.5 dozen', 'a fraction of a dozen'],
    ['2 x 1.5 sachets', 'a fraction of a sachet in a multipack'],
  ])('refuses %p (%s)', (unit) => expect(isValidUnit(unit)).toBe(false));

  it('is anchored', () => {
    expect(UNIT_PATTERN.source.startsWith('^')).toBe(true);
    expect(UNIT_PATTERN.source.endsWith('$')).toBe(true);
  });
});

describe('sortableName', () => {
  it.each([
    ['Amul Taaza Toned Milk', 'amul-taaza-toned-milk'],
    ["Haldiram's Aloo Bhujia", 'haldiram-s-aloo-bhujia'],
    ['Café  Crème  ', 'cafe-creme'],
    ['  --Salt--  ', 'salt'],
    ['नमक', ''],
  ])('folds %p to %p', (name, expected) => expect(sortableName(name)).toBe(expected));

  it('caps the length at 100 without a trailing hyphen', () => {
    const folded = sortableName(`${'a'.repeat(99)} bcd`);
    expect(folded.length).toBeLessThanOrEqual(100);
    expect(folded.endsWith('-')).toBe(false);
  });

  it('orders by name first, then id, shorter names first', () => {
    const list = [
      { sortName: 'apple-juice', id: '01A' },
      { sortName: 'apple', id: '01B' },
      { sortName: 'apple', id: '01A' },
      { sortName: 'banana', id: '00Z' },
    ];
    expect([...list].sort(comparePositions)).toEqual([
      { sortName: 'apple', id: '01A' },
      { sortName: 'apple', id: '01B' },
      { sortName: 'apple-juice', id: '01A' },
      { sortName: 'banana', id: '00Z' },
    ]);
  });
});

describe('price rule', () => {
  it('allows an MRP equal to or above the price', () => {
    expect(pricingErrors(5000, 5000)).toEqual([]);
    expect(pricingErrors(4500, 5000)).toEqual([]);
  });
  it('refuses an MRP below the price, on the mrpPaise field', () => {
    expect(pricingErrors(5001, 5000)).toEqual([expect.objectContaining({ in: 'body', field: 'mrpPaise' })]);
  });
});

const category = { name: 'Fresh Fruits', slug: 'fresh-fruits' };

describe('category request schemas', () => {
  it('defaults sortOrder to 0', () => {
    expect(createCategoryBody().parse(category)).toEqual({ ...category, sortOrder: 0 });
  });

  it.each([
    ['Fresh-Fruits', 'upper case'],
    ['fresh--fruits', 'double hyphen'],
    ['-fresh', 'leading hyphen'],
    ['fresh-', 'trailing hyphen'],
    ['fresh fruits', 'space'],
    ['', 'empty'],
    ['a'.repeat(81), 'longer than 80'],
  ])('refuses the slug %p (%s)', (slug) => {
    expect(fieldsOf(createCategoryBody().safeParse({ ...category, slug }))).toEqual(['slug']);
  });

  it('accepts a slug of exactly 80 characters', () => {
    expect(createCategoryBody().safeParse({ ...category, slug: 'a'.repeat(80) }).success).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['x'.repeat(121), 'longer than 120'],
  ])('refuses the name %p (%s)', (name) => {
    expect(fieldsOf(createCategoryBody().safeParse({ ...category, name }))).toEqual(['name']);
  });

  it('trims names', () => {
    expect(createCategoryBody().parse({ ...category, name: '  Fresh Fruits ' }).name).toBe('Fresh Fruits');
  });

  it('refuses unknown fields, a non-ULID parent, an http image URL and a negative sortOrder', () => {
    const result = createCategoryBody().safeParse({
      ...category,
      parentId: 'not-a-ulid',
      imageUrl: 'http://images.example/a.png',
      sortOrder: -1,
      colour: 'green',
    });
    expect(fieldsOf(result).sort()).toEqual(['', 'imageUrl', 'parentId', 'sortOrder']);
  });

  it('needs at least one field in a PATCH, and takes null to clear', () => {
    expect(updateCategoryBody().safeParse({}).success).toBe(false);
    expect(updateCategoryBody().parse({ parentId: null, description: null })).toEqual({
      parentId: null,
      description: null,
    });
  });
});

const product = {
  sku: 'AMUL-MILK-500',
  name: 'Amul Taaza Toned Milk',
  slug: 'amul-taaza-toned-milk-500-ml',
  categoryId: '01JCAT0000000000000000001A',
  unit: '500 ml',
  pricePaise: 2800,
  mrpPaise: 2900,
};

describe('product request schemas', () => {
  it('fills the defaults: INR, active, no images or tags, 10 per order', () => {
    expect(createProductBody().parse(product)).toEqual({
      ...product,
      currency: 'INR',
      isActive: true,
      imageKeys: [],
      tags: [],
      maxPerOrder: 10,
    });
  });

  it('takes a per-order maximum from 1 to 100 units', () => {
    expect(createProductBody().parse({ ...product, maxPerOrder: 1 }).maxPerOrder).toBe(1);
    expect(createProductBody().parse({ ...product, maxPerOrder: 100 }).maxPerOrder).toBe(100);
    expect(updateProductBody().parse({ maxPerOrder: 3 })).toEqual({ maxPerOrder: 3 });
    expect(fieldsOf(updateProductBody().safeParse({ maxPerOrder: 0 }))).toEqual(['maxPerOrder']);
  });

  it.each([
    ['sku', 'ab-12', 'lower case'],
    ['sku', 'AB', 'too short'],
    ['sku', 'A'.repeat(33), 'too long'],
    ['sku', 'AB_12', 'underscore'],
    ['sku', '---', 'only hyphens'],
    ['sku', '-AB12', 'a leading hyphen'],
    ['sku', 'AB--12', 'a doubled hyphen'],
    ['pricePaise', 0, 'zero'],
    ['pricePaise', -100, 'negative'],
    ['pricePaise', 10.5, 'fractional'],
    ['pricePaise', 10_000_001, 'above ₹1,00,000'],
    ['pricePaise', '2800', 'a string'],
    ['mrpPaise', 10_000_001, 'above the cap'],
    ['currency', 'USD', 'another currency'],
    ['unit', '500 grams', 'unknown unit'],
    ['categoryId', 'fruits', 'not a ULID'],
    ['tags', Array.from({ length: 21 }, (_, i) => `t${i}`), '21 tags'],
    ['tags', ['fresh', 'fresh'], 'duplicate tags'],
    ['tags', ['Fresh'], 'upper-case tag'],
    ['imageKeys', ['../../etc/passwd'], 'not an upload key'],
    ['isActive', 'yes', 'not a boolean'],
    ['maxPerOrder', 0, 'zero'],
    ['maxPerOrder', 101, 'above 100'],
    ['maxPerOrder', 2.5, 'fractional'],
    ['maxPerOrder', null, 'null'],
  ])('refuses %s = %p (%s)', (field, value, _why) => {
    const fields = fieldsOf(createProductBody().safeParse({ ...product, [field]: value }));
    expect(fields.map((f) => f.split('.')[0])).toContain(field);
  });

  it('accepts the smallest price, 1 paisa, with an MRP equal to it', () => {
    expect(createProductBody().safeParse({ ...product, pricePaise: 1, mrpPaise: 1 }).success).toBe(true);
  });

  it('accepts the price cap and 20 tags', () => {
    const result = createProductBody().safeParse({
      ...product,
      pricePaise: 10_000_000,
      mrpPaise: 10_000_000,
      tags: Array.from({ length: 20 }, (_, i) => `t${i}`),
    });
    expect(result.success).toBe(true);
  });

  it('refuses an MRP below the price on the mrpPaise field', () => {
    expect(fieldsOf(createProductBody().safeParse({ ...product, pricePaise: 3000, mrpPaise: 2900 }))).toEqual(
      ['mrpPaise'],
    );
  });

  it('refuses unknown fields', () => {
    expect(createProductBody().safeParse({ ...product, stock: 4 }).success).toBe(false);
  });

  it('needs at least one field in a PATCH', () => {
    expect(updateProductBody().safeParse({}).success).toBe(false);
    expect(updateProductBody().parse({ brand: null })).toEqual({ brand: null });
  });
});

describe('free text (names, brands, descriptions)', () => {
  const name = (value: string) => fieldsOf(createProductBody().safeParse({ ...product, name: value }));

  it('counts characters, not UTF-16 units: 120 emoji are a valid name, 121 are not', () => {
    expect(name('🥭'.repeat(120))).toEqual([]);
    expect(name('🥭'.repeat(121))).toEqual(['name']);
    expect(name(`Alphonso Mango 🥭 ${'x'.repeat(100)}`)).toEqual([]);
  });

  it.each([
    ['\ud83e Mango', 'a lone high surrogate'],
    ['Mango \udd6d', 'a lone low surrogate'],
    ['Man\u0000go', 'a NUL'],
    ['Mango\nLassi', 'a line break'],
    ['Mango\u001b[31m', 'an escape sequence'],
  ])('refuses a name with %j (%s), in every text field', (text) => {
    expect(name(text)).toEqual(['name']);
    expect(fieldsOf(createProductBody().safeParse({ ...product, brand: text }))).toEqual(['brand']);
    expect(fieldsOf(createCategoryBody().safeParse({ ...category, name: text }))).toEqual(['name']);
  });

  it('lets descriptions have line breaks and tabs but not other control characters or lone surrogates', () => {
    const description = (value: string) =>
      fieldsOf(createProductBody().safeParse({ ...product, description: value }));
    expect(description('Fresh.\r\n\tChilled.')).toEqual([]);
    expect(description('Fresh\u0000')).toEqual(['description']);
    expect(description('Fresh \ud800')).toEqual(['description']);
    expect(fieldsOf(createCategoryBody().safeParse({ ...category, description: 'A\u0007' }))).toEqual([
      'description',
    ]);
    expect(fieldsOf(updateCategoryBody().safeParse({ description: 'A\ud800' }))).toEqual(['description']);
  });
});

describe('image upload request', () => {
  it.each(['image/jpeg', 'image/png', 'image/webp'])('accepts %s', (contentType) => {
    expect(imageUploadBody().safeParse({ contentType, contentLength: 1000 }).success).toBe(true);
  });
  it('refuses other types, empty and over-5-MiB files', () => {
    expect(imageUploadBody().safeParse({ contentType: 'image/gif', contentLength: 1 }).success).toBe(false);
    expect(imageUploadBody().safeParse({ contentType: 'image/png', contentLength: 0 }).success).toBe(false);
    expect(
      imageUploadBody().safeParse({ contentType: 'image/png', contentLength: 5 * 1024 * 1024 }).success,
    ).toBe(true);
    expect(
      imageUploadBody().safeParse({ contentType: 'image/png', contentLength: 5 * 1024 * 1024 + 1 }).success,
    ).toBe(false);
  });
});
