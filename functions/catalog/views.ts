/**
 * Domain objects → response bodies. Only what the contracts promise leaves the service (no versions, no
 * storage attributes).
 */
import type { ResponseBody } from '#shared/http/route';
import type {
  categoryNodeSchema,
  categorySchema,
  productSchema,
  productSummarySchema,
  subcategoryNodeSchema,
} from './contracts';
import type { Category, Product } from './domain';

export type CategoryView = ResponseBody<typeof categorySchema>;
export type CategoryNode = ResponseBody<typeof categoryNodeSchema>;
export type SubcategoryNode = ResponseBody<typeof subcategoryNodeSchema>;
export type ProductView = ResponseBody<typeof productSchema>;
export type ProductSummary = ResponseBody<typeof productSummarySchema>;

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** What every category response shows, in the tree and on its own. */
const categoryFields = (c: Category) => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  ...optional('description', c.description),
  ...optional('imageUrl', c.imageUrl),
  sortOrder: c.sortOrder,
});

export const categoryView = (c: Category): CategoryView => ({
  ...categoryFields(c),
  parentId: c.parentId ?? null,
  productCount: c.productCount,
  activeProductCount: c.activeProductCount,
  childCount: c.childCount,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const byDisplayOrder = (a: Category, b: Category) =>
  a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The public tree: top-level categories with their subcategories, each level by sortOrder then name.
 * A top-level category's productCount includes its subcategories' active products.
 */
export function categoryTree(categories: readonly Category[]): CategoryNode[] {
  const childrenOf = new Map<string, Category[]>();
  for (const c of categories) {
    if (c.parentId === undefined) continue;
    childrenOf.set(c.parentId, [...(childrenOf.get(c.parentId) ?? []), c]);
  }
  return categories
    .filter((c) => c.parentId === undefined)
    .sort(byDisplayOrder)
    .map((top) => {
      const children = (childrenOf.get(top.id) ?? []).sort(byDisplayOrder);
      const total = children.reduce((sum, c) => sum + c.activeProductCount, top.activeProductCount);
      return {
        ...categoryFields(top),
        productCount: total,
        children: children.map((c) => ({
          ...categoryFields(c),
          productCount: c.activeProductCount,
          children: [],
        })),
      };
    });
}

export const productView = (p: Product): ProductView => ({
  id: p.id,
  sku: p.sku,
  slug: p.slug,
  name: p.name,
  ...optional('brand', p.brand),
  ...optional('description', p.description),
  categoryId: p.categoryId,
  unit: p.unit,
  pricePaise: p.pricePaise,
  mrpPaise: p.mrpPaise,
  currency: p.currency,
  imageKeys: [...p.imageKeys],
  tags: [...p.tags],
  isActive: p.isActive,
  maxPerOrder: p.maxPerOrder,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const productSummary = (p: Product): ProductSummary => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  ...optional('brand', p.brand),
  categoryId: p.categoryId,
  unit: p.unit,
  pricePaise: p.pricePaise,
  mrpPaise: p.mrpPaise,
  currency: p.currency,
  ...optional('imageKey', p.imageKeys[0]),
});
