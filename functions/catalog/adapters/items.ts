/**
 * Item layout of the Catalog table — the one place that knows it. The DynamoDB repository
 * (dynamodb-repository.ts) and the local seed (local/seed/catalog.ts) both write through these mappers.
 *
 * Table: pk/sk (S); gsi1 = gsi1pk/gsi1sk, gsi2 = gsi2pk/gsi2sk, both projecting ALL (lib/app/app.ts).
 *
 * | item                 | pk                     | sk           | gsi1pk                | gsi1sk           | gsi2pk             | gsi2sk           |
 * |----------------------|------------------------|--------------|-----------------------|------------------|--------------------|------------------|
 * | category             | `CATEGORY`             | `<id>`       |                       |                  |                    |                  |
 * | category slug guard  | `CATEGORY_SLUG#<slug>` | `GUARD`      |                       |                  |                    |                  |
 * | product, active      | `PRODUCT#<id>`         | `PRODUCT`    | `CATEGORY#<category>` | `<sortName>#<id>`| `PARENT#<root>`    | `<sortName>#<id>`|
 * | product, inactive    | `PRODUCT#<id>`         | `PRODUCT`    | (none: sparse)        |                  | (none)             |                  |
 * | product slug guard   | `PRODUCT_SLUG#<slug>`  | `GUARD`      |                       |                  |                    |                  |
 * | product SKU guard    | `PRODUCT_SKU#<sku>`    | `GUARD`      |                       |                  |                    |                  |
 * | seed marker (local)  | `SEED`                 | `catalog`    |                       |                  |                    |                  |
 *
 * `<root>` is the product's top-level category: the parent of its category, or the category itself when
 * that is top-level. `<sortName>` is `sortableName(name)` (lower-case ASCII words joined by '-'), so both
 * listings run in (name, id) order; '#' sorts below every sortName character.
 *
 * Access patterns:
 * - category tree: Query pk = `CATEGORY` (one small partition);
 * - one category / product: GetItem (strongly consistent before a write);
 * - a subcategory's products: Query gsi1, gsi1pk = `CATEGORY#<id>`;
 * - a top-level category's products (its own and all its subcategories'): Query gsi2, gsi2pk = `PARENT#<id>`;
 * - only active products carry index keys, so listings never filter and pages are always full.
 *
 * Invariants, kept by TransactWriteItems with condition expressions:
 * - a guard item exists for every category slug, product slug and SKU, pointing at its owner
 *   (`categoryId` / `productId`), and is created with attribute_not_exists(pk): slugs and SKUs are unique;
 * - category items count their products (`productCount`, `activeProductCount`) and subcategories
 *   (`childCount`) in the same transactions that add, move or remove them: a category with products or
 *   children cannot be deleted, and a product can only point at an existing category;
 * - a category's parent only changes while it has no products (so `gsi2pk` never goes stale) and no
 *   children (so the tree stays two levels deep);
 * - `version` is an optimistic lock for edits of categories and products; counters change without it.
 */
import {
  CATALOG_INDEX,
  CATEGORY_PARTITION as PUBLISHED_CATEGORY_PARTITION,
  DEFAULT_MAX_PER_ORDER,
  categoryKey,
  productKey,
} from '#shared/published/catalog-items';
import { productSkuKey } from '#shared/published/product-sku';
import { type Category, type Product, type ProductPosition, rootOf, sortableName } from '../domain';

export type Item = Record<string, unknown>;

// Products and categories are a published layout (functions/shared/published/catalog-items.ts, ADR 9).
export const INDEX = {
  byCategory: {
    name: CATALOG_INDEX.byCategory.name,
    pk: CATALOG_INDEX.byCategory.pk,
    sk: CATALOG_INDEX.byCategory.sk,
  },
  byTopLevelCategory: {
    name: CATALOG_INDEX.byTopLevelCategory.name,
    pk: CATALOG_INDEX.byTopLevelCategory.pk,
    sk: CATALOG_INDEX.byTopLevelCategory.sk,
  },
} as const;

export const keys = {
  category: categoryKey,
  categorySlug: (slug: string) => ({ pk: `CATEGORY_SLUG#${slug}`, sk: 'GUARD' }),
  // Published (functions/shared/published/catalog-items.ts): cart, checkout and search read products by it.
  product: productKey,
  productSlug: (slug: string) => ({ pk: `PRODUCT_SLUG#${slug}`, sk: 'GUARD' }),
  // Published (functions/shared/published/product-sku.ts): the inventory imports read SKU guards.
  productSku: productSkuKey,
};
export type Key = ReturnType<(typeof keys)['category']>;

export const CATEGORY_PARTITION = PUBLISHED_CATEGORY_PARTITION;

/** Drops undefined attributes, so any document client (with or without removeUndefinedValues) writes the same item. */
function defined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
}

export function categoryItem(c: Category): Item {
  return defined({
    ...keys.category(c.id),
    entity: 'Category',
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    imageUrl: c.imageUrl,
    sortOrder: c.sortOrder,
    parentId: c.parentId,
    productCount: c.productCount,
    activeProductCount: c.activeProductCount,
    childCount: c.childCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function categoryFromItem(item: Item): Category {
  return {
    id: String(item.id),
    slug: String(item.slug),
    name: String(item.name),
    description: str(item.description),
    imageUrl: str(item.imageUrl),
    sortOrder: num(item.sortOrder),
    parentId: str(item.parentId),
    productCount: num(item.productCount),
    activeProductCount: num(item.activeProductCount),
    childCount: num(item.childCount),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: num(item.version),
  };
}

export const listingSortKey = (position: ProductPosition): string => `${position.sortName}#${position.id}`;
export const categoryListingKey = (categoryId: string): string =>
  `${CATALOG_INDEX.byCategory.prefix}${categoryId}`;
export const topLevelListingKey = (categoryId: string): string =>
  `${CATALOG_INDEX.byTopLevelCategory.prefix}${categoryId}`;

/** The product item; `category` is the product's category as it is now (its parent decides `gsi2pk`). */
export function productItem(p: Product, category: Category): Item {
  if (category.id !== p.categoryId) throw new Error(`Product ${p.id} is not in category ${category.id}`);
  const sortKey = listingSortKey({ sortName: sortableName(p.name), id: p.id });
  return defined({
    ...keys.product(p.id),
    entity: 'Product',
    ...(p.isActive
      ? {
          [INDEX.byCategory.pk]: categoryListingKey(category.id),
          [INDEX.byCategory.sk]: sortKey,
          [INDEX.byTopLevelCategory.pk]: topLevelListingKey(rootOf(category)),
          [INDEX.byTopLevelCategory.sk]: sortKey,
        }
      : {}),
    id: p.id,
    sku: p.sku,
    slug: p.slug,
    name: p.name,
    brand: p.brand,
    description: p.description,
    categoryId: p.categoryId,
    unit: p.unit,
    pricePaise: p.pricePaise,
    mrpPaise: p.mrpPaise,
    currency: p.currency,
    imageKeys: [...p.imageKeys],
    tags: [...p.tags],
    isActive: p.isActive,
    maxPerOrder: p.maxPerOrder,
    popularity: p.popularity,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  });
}

export function productFromItem(item: Item): Product {
  return {
    id: String(item.id),
    sku: String(item.sku),
    slug: String(item.slug),
    name: String(item.name),
    brand: str(item.brand),
    description: str(item.description),
    categoryId: String(item.categoryId),
    unit: String(item.unit),
    pricePaise: num(item.pricePaise),
    mrpPaise: num(item.mrpPaise),
    currency: 'INR',
    imageKeys: Array.isArray(item.imageKeys) ? item.imageKeys.map(String) : [],
    tags: Array.isArray(item.tags) ? item.tags.map(String) : [],
    isActive: item.isActive === true,
    maxPerOrder:
      typeof item.maxPerOrder === 'number' && Number.isInteger(item.maxPerOrder) && item.maxPerOrder >= 1
        ? item.maxPerOrder
        : DEFAULT_MAX_PER_ORDER,
    ...(typeof item.popularity === 'number' ? { popularity: item.popularity } : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: num(item.version),
  };
}

export const categorySlugGuard = (c: Pick<Category, 'id' | 'slug'>): Item => ({
  ...keys.categorySlug(c.slug),
  entity: 'CategorySlug',
  categoryId: c.id,
});
export const productSlugGuard = (p: Pick<Product, 'id' | 'slug'>): Item => ({
  ...keys.productSlug(p.slug),
  entity: 'ProductSlug',
  productId: p.id,
});
export const productSkuGuard = (p: Pick<Product, 'id' | 'sku'>): Item => ({
  ...keys.productSku(p.sku),
  entity: 'ProductSku',
  productId: p.id,
});

/** Every item that makes up one product: the product and its two guards. */
export const productItems = (p: Product, category: Category): Item[] => [
  productItem(p, category),
  productSlugGuard(p),
  productSkuGuard(p),
];
/** Every item that makes up one category: the category and its slug guard. */
export const categoryItems = (c: Category): Item[] => [categoryItem(c), categorySlugGuard(c)];
