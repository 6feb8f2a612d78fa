/**
 * The search service's reads of the Catalog table, through its published layout
 * (functions/shared/published/catalog-items.ts, ADR 9): the categories (names for the category path, the
 * top-level ones for the fallback), products one by one, of a category (the indexer, after a rename) or all of
 * them (reindex), and the DynamoDB fallback
 * of a degraded search (name prefix and category matches on the listing indexes).
 */
import {
  BatchGetCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  CATALOG_INDEX,
  CATEGORY_PARTITION,
  catalogCategoryFromItem,
  catalogProductFromItem,
  isProductItem,
  productKey,
  sortableName,
  type CatalogCategory,
  type CatalogProduct,
} from '#shared/published/catalog-items';

export class DynamoCatalogReader {
  private categoriesCache?: { readonly at: number; readonly value: Promise<Map<string, CatalogCategory>> };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly categoriesTtlMs = 30_000,
  ) {}

  /** Every category by id (one Query of the CATEGORY partition), kept for a short while per environment. */
  categories(): Promise<Map<string, CatalogCategory>> {
    const now = Date.now();
    if (!this.categoriesCache || now - this.categoriesCache.at > this.categoriesTtlMs) {
      const value = this.loadCategories();
      value.catch(() => (this.categoriesCache = undefined));
      this.categoriesCache = { at: now, value };
    }
    return this.categoriesCache.value;
  }

  private async loadCategories(): Promise<Map<string, CatalogCategory>> {
    const categories = new Map<string, CatalogCategory>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': CATEGORY_PARTITION },
          // Strongly consistent: the indexer reads the names right after a rename it saw on the stream.
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const category = catalogCategoryFromItem(item);
        categories.set(category.id, category);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return categories;
  }

  /** The current items of these products (strongly consistent; absent = deleted). */
  async products(ids: readonly string[]): Promise<Map<string, CatalogProduct>> {
    const found = new Map<string, CatalogProduct>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map(productKey);
      for (let attempt = 0; keys.length > 0 && attempt < 8; attempt++) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          const product = catalogProductFromItem(item);
          found.set(product.id, product);
        }
        keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
      if (keys.length > 0) throw new Error('BatchGetItem left product keys unprocessed');
    }
    return found;
  }

  /**
   * The active products of a category, page by page (at most `pageSize` each): a subcategory's on the
   * by-category index, a top-level category's — its own and all its subcategories' — on the by-top-level one.
   */
  async *activeProductsIn(category: CatalogCategory, pageSize = 500): AsyncGenerator<CatalogProduct[]> {
    const index = category.parentId ? CATALOG_INDEX.byCategory : CATALOG_INDEX.byTopLevelCategory;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.pk },
          ExpressionAttributeValues: { ':pk': `${index.prefix}${category.id}` },
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      yield (page.Items ?? []).filter(isProductItem).map(catalogProductFromItem);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Every product item, page by page (a parallel Scan in `segments` segments). */
  async *allProducts(segments = 4): AsyncGenerator<CatalogProduct[]> {
    const scans = Array.from({ length: segments }, (_, segment) => this.scanSegment(segment, segments));
    const pending = new Map(scans.map((scan, i) => [i, scan.next().then((r) => ({ i, r }))]));
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pending.set(
        i,
        scans[i]!.next().then((next) => ({ i, r: next })),
      );
      yield r.value;
    }
  }

  private async *scanSegment(segment: number, total: number): AsyncGenerator<CatalogProduct[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: total,
          FilterExpression: 'begins_with(pk, :product)',
          ExpressionAttributeValues: { ':product': 'PRODUCT#' },
          ExclusiveStartKey: start,
        }),
      );
      yield (page.Items ?? []).filter(isProductItem).map(catalogProductFromItem);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /**
   * Active products whose name starts with `text` (in listing order), in `categoryId` (and its subcategories)
   * or in every top-level category; at most `max`. The degraded search: no typos, synonyms or relevance.
   */
  async fallback(text: string, categoryId: string | undefined, max: number): Promise<CatalogProduct[]> {
    const prefix = sortableName(text);
    const partitions: { index: (typeof CATALOG_INDEX)[keyof typeof CATALOG_INDEX]; id: string }[] = [];
    if (categoryId) {
      const category = (await this.categories()).get(categoryId);
      if (!category) return [];
      partitions.push({
        index: category.parentId ? CATALOG_INDEX.byCategory : CATALOG_INDEX.byTopLevelCategory,
        id: categoryId,
      });
    } else {
      for (const c of (await this.categories()).values())
        if (!c.parentId) partitions.push({ index: CATALOG_INDEX.byTopLevelCategory, id: c.id });
    }
    const pages = await Promise.all(
      partitions.map(async ({ index, id }) => {
        const { Items = [] } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.pk, ...(prefix ? { '#sk': index.sk } : {}) },
            ExpressionAttributeValues: {
              ':pk': `${index.prefix}${id}`,
              ...(prefix ? { ':prefix': prefix } : {}),
            },
            Limit: max,
          }),
        );
        return Items.map(catalogProductFromItem);
      }),
    );
    return pages
      .flat()
      .sort((a, b) => sortableName(a.name).localeCompare(sortableName(b.name)) || a.id.localeCompare(b.id))
      .slice(0, max);
  }
}
