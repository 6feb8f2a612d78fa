/**
 * Published item layout of the Catalog table's products and categories (ADR 9): written only by the
 * catalogue service (functions/catalog/adapters/items.ts builds its items from these keys), read by the
 * search service (its stream indexer, reindex and DynamoDB fallback). Changing this file changes a contract
 * between services; keep it backwards compatible.
 *
 * - product: pk `PRODUCT#<id>`, sk `PRODUCT`; `{id, sku, slug, name, brand?, description?, categoryId, unit,
 *   pricePaise, mrpPaise, currency, imageKeys, tags, isActive, maxPerOrder?, popularity?, createdAt, updatedAt,
 *   version}`; `maxPerOrder` (an integer ≥ 1) is the most units one cart line or order may hold, absent =
 *   DEFAULT_MAX_PER_ORDER (items written before it existed);
 *   active products also carry `gsi1pk = CATEGORY#<categoryId>`, `gsi2pk = PARENT#<top-level category>`
 *   and `gsi1sk = gsi2sk = <sortName>#<id>` (sortName: the name as lower-case ASCII words joined by '-').
 *   `popularity` (a non-negative number, higher = sells more) is absent until a ranking writes it.
 * - category: pk `CATEGORY`, sk `<id>`; `{id, slug, name, parentId?, sortOrder, ...}`.
 * Other items (slug and SKU guards, the local seed marker) share the table; readers skip them.
 */
export const PRODUCT_PK_PREFIX = 'PRODUCT#';
/** Units of one product one cart or order may hold when the product says nothing else. */
export const DEFAULT_MAX_PER_ORDER = 10;
export const PRODUCT_SK = 'PRODUCT';
export const CATEGORY_PARTITION = 'CATEGORY';
export const CATALOG_INDEX = {
  byCategory: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk', prefix: 'CATEGORY#' },
  byTopLevelCategory: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk', prefix: 'PARENT#' },
} as const;

export const productKey = (id: string) => ({ pk: `${PRODUCT_PK_PREFIX}${id}`, sk: PRODUCT_SK });
export const categoryKey = (id: string) => ({ pk: CATEGORY_PARTITION, sk: id });

type Item = Record<string, unknown>;

/** The name folded to lower-case ASCII words joined by '-', for ordering ("Amul Taaza Milk" → "amul-taaza-milk"). */
export function sortableName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

export const isProductItem = (item: Item): boolean =>
  typeof item.pk === 'string' && item.pk.startsWith(PRODUCT_PK_PREFIX) && item.sk === PRODUCT_SK;
export const isCategoryItem = (item: Item): boolean => item.pk === CATEGORY_PARTITION;

/** What a reader outside the catalogue may rely on in a product item. */
export interface CatalogProduct {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly brand?: string;
  readonly description?: string;
  readonly categoryId: string;
  /** The top-level category (from gsi2pk); absent for an inactive product. */
  readonly topLevelCategoryId?: string;
  readonly unit: string;
  readonly pricePaise: number;
  readonly mrpPaise: number;
  readonly imageKeys: readonly string[];
  readonly tags: readonly string[];
  readonly isActive: boolean;
  readonly popularity: number;
  readonly updatedAt: string;
  readonly version: number;
}

export interface CatalogCategory {
  readonly id: string;
  readonly name: string;
  readonly parentId?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

export function catalogProductFromItem(item: Item): CatalogProduct {
  const parent = str(item[CATALOG_INDEX.byTopLevelCategory.pk]);
  return {
    id: String(item.id),
    slug: String(item.slug),
    name: String(item.name),
    brand: str(item.brand),
    description: str(item.description),
    categoryId: String(item.categoryId),
    topLevelCategoryId: parent?.startsWith(CATALOG_INDEX.byTopLevelCategory.prefix)
      ? parent.slice(CATALOG_INDEX.byTopLevelCategory.prefix.length)
      : undefined,
    unit: String(item.unit),
    pricePaise: num(item.pricePaise),
    mrpPaise: num(item.mrpPaise),
    imageKeys: strings(item.imageKeys),
    tags: strings(item.tags),
    isActive: item.isActive === true,
    popularity: Math.max(0, num(item.popularity)),
    updatedAt: String(item.updatedAt),
    version: num(item.version),
  };
}

export const catalogCategoryFromItem = (item: Item): CatalogCategory => ({
  id: String(item.id ?? item.sk),
  name: String(item.name),
  parentId: str(item.parentId),
});
