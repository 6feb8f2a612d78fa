/**
 * Reads the category slugs a product sits under (published catalog-items.ts layout): its category's slug
 * and, for a subcategory, its parent's — for rules set per category (e.g. exchange windows for `dairy`
 * that also hold for `dairy/milk`). Three BatchGetItems at most, whatever the number of products.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-get';
import { categoryKey, productKey } from './catalog-items';

/** Product id → slugs of its category and the category's parent (most specific first); unknown ids absent. */
export async function readProductCategorySlugs(
  client: DynamoDBDocumentClient,
  tableName: string,
  productIds: readonly string[],
): Promise<Map<string, string[]>> {
  const products = await batchGetAll(client, tableName, [...new Set(productIds)].map(productKey), {
    attributes: ['id', 'categoryId'],
  });
  const categoryOf = new Map(products.map((p) => [String(p.id), String(p.categoryId)]));
  const categories = new Map<string, { slug: string; parentId?: string }>();
  const load = async (ids: readonly string[]) => {
    const wanted = [...new Set(ids)].filter((id) => !categories.has(id));
    if (wanted.length === 0) return;
    const items = await batchGetAll(client, tableName, wanted.map(categoryKey), {
      attributes: ['sk', 'slug', 'parentId'],
    });
    for (const c of items)
      categories.set(String(c.sk), {
        slug: String(c.slug),
        ...(typeof c.parentId === 'string' ? { parentId: c.parentId } : {}),
      });
  };
  await load([...categoryOf.values()]);
  await load([...categories.values()].flatMap((c) => (c.parentId ? [c.parentId] : [])));
  const slugs = new Map<string, string[]>();
  for (const [productId, categoryId] of categoryOf) {
    const category = categories.get(categoryId);
    const parent = category?.parentId ? categories.get(category.parentId) : undefined;
    slugs.set(
      productId,
      [category?.slug, parent?.slug].filter((s): s is string => s !== undefined),
    );
  }
  return slugs;
}
