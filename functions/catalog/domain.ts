/**
 * The catalogue's domain: categories (a two-level tree) and products, the rules that do not need storage,
 * and the domain errors the use cases and adapters raise. No AWS SDK here.
 */
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '#shared/errors';
import { sortableName } from '#shared/published/catalog-items';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;
// Letters and digits in hyphen-separated groups: no leading, trailing or doubled hyphens.
// The SKU shape is published with the SKU guard (the inventory imports check it too).
export { SKU_PATTERN } from '#shared/published/product-sku';
export const NAME_MAX = 120;
export const TAGS_MAX = 20;
export const IMAGE_KEYS_MAX = 10;
/** ₹1,00,000: no single grocery line item costs more. */
export const PRICE_MAX_PAISE = 10_000_000;
export const CURRENCY = 'INR' as const;

/** Units that count whole things: "1.5 pcs" or "0.5 pack" is not a pack size. */
const COUNT_UNITS = [
  'pc',
  'pcs',
  'pack',
  'packs',
  'dozen',
  'bunch',
  'sachet',
  'sachets',
  'roll',
  'rolls',
] as const;
/** Units a pack size may be given in: "500 g", "1 kg", "1 L", "250 ml", "6 pcs", "1 pack", "2 x 200 g". */
export const UNITS = ['mg', 'g', 'kg', 'ml', 'L', 'm', ...COUNT_UNITS] as const;
const isCountUnit = (unit: string): boolean => (COUNT_UNITS as readonly string[]).includes(unit);
/** The quantity is written without leading zeros ("500", "0.5", never "0500"). */
export const UNIT_PATTERN = new RegExp(
  `^(?:([1-9]\\d?) x )?((?:0|[1-9]\\d{0,4})(?:\\.\\d{1,3})?) (${UNITS.join('|')})$`,
);

/** A pack size such as "500 g" or "2 x 1 L": a positive number and a known unit, optionally a multipack. */
export function isValidUnit(unit: string): boolean {
  const match = UNIT_PATTERN.exec(unit);
  if (!match) return false;
  const [, multiple, quantity, name] = match;
  return (
    Number(quantity) > 0 &&
    (multiple === undefined || Number(multiple) >= 2) &&
    !(isCountUnit(name!) && quantity!.includes('.'))
  );
}

export interface Category {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description?: string;
  readonly imageUrl?: string;
  readonly sortOrder: number;
  /** Absent for a top-level category. */
  readonly parentId?: string;
  /** Products (active or not) whose category this is. Kept exact by the same transactions that move them. */
  readonly productCount: number;
  /** Active products whose category this is. */
  readonly activeProductCount: number;
  /** Subcategories (a subcategory always has 0). */
  readonly childCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic lock for edits; counters change without bumping it. */
  readonly version: number;
}

export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly slug: string;
  readonly name: string;
  readonly brand?: string;
  readonly description?: string;
  readonly categoryId: string;
  readonly unit: string;
  readonly pricePaise: number;
  readonly mrpPaise: number;
  readonly currency: typeof CURRENCY;
  readonly imageKeys: readonly string[];
  readonly tags: readonly string[];
  readonly isActive: boolean;
  /** The most units one cart line or order may hold. */
  readonly maxPerOrder: number;
  /**
   * How well the product sells (higher = more), for search's `popularity` sort; written by a ranking (the
   * local seed sets one), kept by every edit, never shown. Absent = 0.
   */
  readonly popularity?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * Whether an edit leaves everything but its bookkeeping (`updatedAt`, `version`) as it was. Such a PATCH is
 * answered with the stored item and writes nothing: it must not make a concurrent real edit fail with 409,
 * nor claim an update that did not happen.
 */
export function changesNothing<T extends { readonly updatedAt: string; readonly version: number }>(
  before: T,
  after: T,
): boolean {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof T)[]);
  fields.delete('updatedAt');
  fields.delete('version');
  return [...fields].every((field) => isDeepStrictEqual(before[field], after[field]));
}

export const isTopLevel = (category: Category): boolean => category.parentId === undefined;

/** The partition a product is listed under for its top-level category (itself, for a top-level one). */
export const rootOf = (category: Category): string => category.parentId ?? category.id;

/**
 * Where a product sits in a category listing. Listings are ordered by (sortName, id): a stable total
 * order that survives renames of other products and needs no offset.
 */
export interface ProductPosition {
  readonly sortName: string;
  readonly id: string;
}

export const SORT_NAME_PATTERN = /^[a-z0-9-]{0,100}$/;

// The listing order is part of the published Catalog layout (search's DynamoDB fallback reads it).
export { sortableName } from '#shared/published/catalog-items';

export const positionOf = (product: Pick<Product, 'name' | 'id'>): ProductPosition => ({
  sortName: sortableName(product.name),
  id: product.id,
});

export function comparePositions(a: ProductPosition, b: ProductPosition): number {
  // Same order as the index sort key `<sortName>#<id>` ('#' sorts below every sortName character).
  const ka = `${a.sortName}#${a.id}`;
  const kb = `${b.sortName}#${b.id}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Price rules that involve more than one field; field-level rules live in the request schemas. */
export function pricingErrors(pricePaise: number, mrpPaise: number): FieldError[] {
  return mrpPaise < pricePaise
    ? [{ in: 'body', field: 'mrpPaise', message: 'The MRP may not be lower than the selling price' }]
    : [];
}

/** Where a product's uploaded images live: the upload URL route signs keys only under this prefix. */
export const imageKeyPrefix = (productId: string): string => `products/${productId}/`;

/**
 * A product shows only its own uploads. A key under another product's prefix would share (and outlive, or
 * lose) that product's files; a new product has no uploads yet, so it gets its images after it is created.
 */
export function imageKeyErrors(productId: string, imageKeys: readonly string[]): FieldError[] {
  const prefix = imageKeyPrefix(productId);
  return imageKeys.flatMap((key, i) =>
    key.startsWith(prefix)
      ? []
      : [
          {
            in: 'body' as const,
            field: `imageKeys.${i}`,
            message: "Not an image of this product: use a key from this product's image upload URL",
          },
        ],
  );
}

/** The domain errors of the catalogue, with the status each maps to. */
export const catalogErrors = {
  categoryNotFound: (id: string, field?: string) =>
    new NotFoundError(
      `Category ${id} does not exist.`,
      field ? [{ in: 'body', field, message: 'No such category' }] : undefined,
    ),
  productNotFound: (id: string) => new NotFoundError(`Product ${id} does not exist.`),
  categorySlugTaken: (slug: string) =>
    new ConflictError(`A category with the slug "${slug}" already exists.`, [
      { in: 'body', field: 'slug', message: 'Already taken' },
    ]),
  productSlugTaken: (slug: string) =>
    new ConflictError(`A product with the slug "${slug}" already exists.`, [
      { in: 'body', field: 'slug', message: 'Already taken' },
    ]),
  skuTaken: (sku: string) =>
    new ConflictError(`A product with the SKU "${sku}" already exists.`, [
      { in: 'body', field: 'sku', message: 'Already taken' },
    ]),
  ownParent: () =>
    new ValidationError('A category cannot be its own parent.', [
      { in: 'body', field: 'parentId', message: 'A category cannot be its own parent' },
    ]),
  parentNotTopLevel: (parentId: string) =>
    new ConflictError(`Category ${parentId} is a subcategory; categories are only two levels deep.`, [
      { in: 'body', field: 'parentId', message: 'The parent must be a top-level category' },
    ]),
  hasChildrenCannotMove: (id: string) =>
    new ConflictError(`Category ${id} has subcategories, so it cannot become a subcategory.`, [
      { in: 'body', field: 'parentId', message: 'A category with subcategories must stay top-level' },
    ]),
  hasProductsCannotMove: (id: string) =>
    new ConflictError(`Category ${id} has products; move or delete them before changing its parent.`, [
      { in: 'body', field: 'parentId', message: 'A category with products cannot change its parent' },
    ]),
  hasChildren: (id: string) =>
    new ConflictError(`Category ${id} has subcategories; delete or move them first.`),
  hasProducts: (id: string) => new ConflictError(`Category ${id} has products; delete or move them first.`),
  parentChanged: () =>
    new ConflictError(
      'The parent category changed while saving (it is no longer top-level); reload and retry.',
      [{ in: 'body', field: 'parentId', message: 'The parent must be a top-level category' }],
    ),
  concurrentChange: () =>
    new ConflictError('The item was changed by another request while saving; reload and retry.'),
  invalid: (errors: FieldError[]) => new ValidationError('The request has invalid fields.', errors),
};
