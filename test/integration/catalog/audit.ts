/**
 * Checks the invariants of the Catalog item layout (functions/catalog/adapters/items.ts) against what is
 * stored: counters equal what they count, every slug and SKU has exactly one guard pointing at its owner
 * and no guard points at nothing, and active products carry the listing keys of their category.
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

async function scanAll(client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Every broken invariant, as readable lines (empty when all hold). With `categoryIds`, only those
 * categories, the products in them and their guards are checked (for a table other tests write to).
 */
export async function auditCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  categoryIds?: readonly string[],
): Promise<string[]> {
  const items = await scanAll(client, tableName);
  const scope = categoryIds && new Set(categoryIds);
  const inScope = (categoryId: unknown) => !scope || scope.has(String(categoryId));
  const categories = items.filter((i) => i.entity === 'Category');
  const products = items.filter((i) => i.entity === 'Product');
  const byId = new Map(categories.map((c) => [String(c.id), c]));
  const guards = new Map(items.filter((i) => i.sk === 'GUARD').map((g) => [String(g.pk), g]));
  const problems: string[] = [];

  for (const c of categories.filter((c) => inScope(c.id))) {
    const own = products.filter((p) => p.categoryId === c.id);
    const counted = {
      productCount: own.length,
      activeProductCount: own.filter((p) => p.isActive === true).length,
      childCount: categories.filter((x) => x.parentId === c.id).length,
    };
    for (const [field, n] of Object.entries(counted))
      if (c[field] !== n) problems.push(`category ${c.slug}: ${field} ${String(c[field])}, actually ${n}`);
    const guard = guards.get(`CATEGORY_SLUG#${String(c.slug)}`);
    if (guard?.categoryId !== c.id)
      problems.push(`category ${c.slug}: slug guard owned by ${guard?.categoryId}`);
  }

  for (const p of products.filter((p) => inScope(p.categoryId))) {
    const category = byId.get(String(p.categoryId));
    if (!category) problems.push(`product ${p.slug}: category ${p.categoryId} does not exist`);
    for (const [kind, value] of [
      ['PRODUCT_SLUG', p.slug],
      ['PRODUCT_SKU', p.sku],
    ] as const) {
      const guard = guards.get(`${kind}#${String(value)}`);
      if (guard?.productId !== p.id)
        problems.push(`product ${p.slug}: ${kind} guard owned by ${guard?.productId}`);
    }
    const root = category && (category.parentId ?? category.id);
    const listed =
      p.isActive === true ? [`CATEGORY#${p.categoryId}`, `PARENT#${root}`] : [undefined, undefined];
    if (p.gsi1pk !== listed[0] || p.gsi2pk !== listed[1])
      problems.push(
        `product ${p.slug}: listed under ${p.gsi1pk} / ${p.gsi2pk}, expected ${listed.join(' / ')}`,
      );
  }

  const productsById = new Map(products.map((p) => [String(p.id), p]));
  for (const [pk, guard] of guards) {
    const [kind, value] = [pk.slice(0, pk.indexOf('#')), pk.slice(pk.indexOf('#') + 1)];
    if (kind === 'CATEGORY_SLUG') {
      const owner = byId.get(String(guard.categoryId));
      if (inScope(guard.categoryId) && owner?.slug !== value)
        problems.push(`guard ${pk}: owner has slug ${owner?.slug}`);
      continue;
    }
    const owner = productsById.get(String(guard.productId));
    if (scope && owner && !inScope(owner.categoryId)) continue;
    if (scope && !owner) continue; // another test's product, deleted (its guards went with it or are checked there)
    const field = kind === 'PRODUCT_SLUG' ? 'slug' : 'sku';
    if (owner?.[field] !== value) problems.push(`guard ${pk}: owner has ${field} ${owner?.[field]}`);
  }
  return problems;
}
