/**
 * The indexer use case on Catalog stream records: product changes collapse to one versioned operation each,
 * and a category whose name or parent changed re-indexes its active products with the new path (the batch's
 * own category images win over a stale read; counter-only changes re-index nothing; the number re-indexed per
 * batch is bounded; a refused re-indexed product retries from the category's record).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  catalogProductFromItem,
  type CatalogCategory,
  type CatalogProduct,
} from '../../../functions/shared/published/catalog-items';
import type { BulkOperation, BulkOutcome, SearchEngine } from '../../../functions/search/ports';
import { indexChanges, type IndexerDeps } from '../../../functions/search/use-cases/index-changes';

type Item = Record<string, unknown>;
let sequence = 0;

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: Item,
  next?: Item,
  old?: Item,
): DynamoDBRecord {
  return {
    eventName,
    eventID: `e${++sequence}`,
    dynamodb: {
      Keys: marshall(keys) as never,
      ...(next ? { NewImage: marshall(next, { removeUndefinedValues: true }) as never } : {}),
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) as never } : {}),
      SequenceNumber: String(sequence).padStart(10, '0'),
    },
  };
}

const categoryItem = (id: string, name: string, parentId?: string, productCount = 0): Item => ({
  pk: 'CATEGORY',
  sk: id,
  id,
  slug: id,
  name,
  parentId,
  sortOrder: 0,
  productCount,
  version: 1,
});
const categoryRecord = (before: Item, after: Item) =>
  record('MODIFY', { pk: 'CATEGORY', sk: after.id }, after, before);

const productItem = (id: string, categoryId: string, root: string, version = 1): Item => ({
  pk: `PRODUCT#${id}`,
  sk: 'PRODUCT',
  id,
  slug: id,
  name: `Product ${id}`,
  categoryId,
  unit: '1 pc',
  pricePaise: 1_000,
  mrpPaise: 1_200,
  imageKeys: [],
  tags: [],
  isActive: true,
  updatedAt: '2026-12-01T00:00:00.000Z',
  version,
  gsi1pk: `CATEGORY#${categoryId}`,
  gsi2pk: `PARENT#${root}`,
});
const productRecord = (item: Item) => record('MODIFY', { pk: item.pk, sk: item.sk }, item, item);

class RecordingEngine implements Pick<SearchEngine, 'bulk'> {
  readonly requests: BulkOperation[][] = [];
  constructor(private readonly refuse: ReadonlySet<string> = new Set()) {}
  async bulk(operations: readonly BulkOperation[]): Promise<BulkOutcome> {
    this.requests.push([...operations]);
    const ids = operations.map((o) => (o.op === 'index' ? o.doc.id : o.id));
    return { failed: ids.filter((id) => this.refuse.has(id)).map((id) => ({ id, reason: 'refused' })) };
  }
  get indexed() {
    return this.requests.flat().flatMap((o) => (o.op === 'index' ? [o.doc] : []));
  }
}

const TOP = 'C-TOP';
const SUB = 'C-SUB';
const OTHER = 'C-OTHER';
/** What a read of the CATEGORY partition says (possibly from before the rename). */
const stored = (): Map<string, CatalogCategory> =>
  new Map([
    [TOP, { id: TOP, name: 'Dairy' }],
    [SUB, { id: SUB, name: 'Curd', parentId: TOP }],
    [OTHER, { id: OTHER, name: 'Bakery' }],
  ]);

function deps(
  engine: RecordingEngine,
  products: readonly Item[],
  opts: { maxCategoryProducts?: number; pageSize?: number } = {},
) {
  const asked: string[] = [];
  const catalog = products.map(catalogProductFromItem);
  const value: IndexerDeps = {
    engine: engine as unknown as SearchEngine,
    categories: async () => stored(),
    activeProductsIn: async function* (category) {
      asked.push(category.id);
      const inIt = catalog.filter((p: CatalogProduct) =>
        category.parentId ? p.categoryId === category.id : p.topLevelCategoryId === category.id,
      );
      const size = opts.pageSize ?? 2;
      for (let i = 0; i < inIt.length; i += size) yield inIt.slice(i, i + size);
    },
    maxCategoryProducts: opts.maxCategoryProducts,
  };
  return { deps: value, asked };
}

const products = [
  productItem('P1', SUB, TOP),
  productItem('P2', SUB, TOP),
  productItem('P3', TOP, TOP),
  productItem('P4', OTHER, OTHER),
];

describe('indexChanges', () => {
  it('re-indexes the products of a renamed subcategory with the new path, in one bulk request', async () => {
    const engine = new RecordingEngine();
    const { deps: d, asked } = deps(engine, products);
    const result = await indexChanges(d, [
      categoryRecord(categoryItem(SUB, 'Curd', TOP), categoryItem(SUB, 'Dahi', TOP)),
    ]);
    expect(asked).toEqual([SUB]);
    expect(engine.requests).toHaveLength(1);
    expect(engine.indexed.map((doc) => [doc.id, doc.categoryPath, doc.version])).toEqual([
      ['P1', 'Dairy > Dahi', 1],
      ['P2', 'Dairy > Dahi', 1],
    ]);
    expect(result).toMatchObject({ batchItemFailures: [], reindexedForCategories: 2, indexed: 0 });
  });

  it('re-indexes every product under a renamed top-level category, its subcategories included', async () => {
    const engine = new RecordingEngine();
    const { deps: d, asked } = deps(engine, products);
    await indexChanges(d, [categoryRecord(categoryItem(TOP, 'Dairy'), categoryItem(TOP, 'Dairy & Eggs'))]);
    expect(asked).toEqual([TOP]);
    expect(Object.fromEntries(engine.indexed.map((doc) => [doc.id, doc.categoryPath]))).toEqual({
      P1: 'Dairy & Eggs > Curd',
      P2: 'Dairy & Eggs > Curd',
      P3: 'Dairy & Eggs',
    });
  });

  it('re-indexes a moved category under its new parent', async () => {
    const engine = new RecordingEngine();
    const { deps: d } = deps(engine, [productItem('P1', SUB, OTHER)]);
    await indexChanges(d, [categoryRecord(categoryItem(SUB, 'Curd', TOP), categoryItem(SUB, 'Curd', OTHER))]);
    expect(engine.indexed.map((doc) => doc.categoryPath)).toEqual(['Bakery > Curd']);
  });

  it('re-indexes nothing when only a category counter changed, or a category came or went', async () => {
    const engine = new RecordingEngine();
    const { deps: d, asked } = deps(engine, products);
    const result = await indexChanges(d, [
      categoryRecord(categoryItem(SUB, 'Curd', TOP, 2), categoryItem(SUB, 'Curd', TOP, 3)),
      record('INSERT', { pk: 'CATEGORY', sk: 'C-NEW' }, categoryItem('C-NEW', 'New')),
      record('REMOVE', { pk: 'CATEGORY', sk: 'C-OLD' }, undefined, categoryItem('C-OLD', 'Old')),
    ]);
    expect(asked).toEqual([]);
    expect(engine.requests).toEqual([]);
    expect(result.reindexedForCategories).toBe(0);
  });

  it("names categories from the batch's own images, and lets a product's own record win", async () => {
    const engine = new RecordingEngine();
    const { deps: d } = deps(engine, products);
    await indexChanges(d, [
      productRecord(productItem('P1', SUB, TOP, 4)),
      categoryRecord(categoryItem(SUB, 'Curd', TOP), categoryItem(SUB, 'Dahi', TOP)),
    ]);
    const docs = engine.indexed;
    expect(docs.map((doc) => [doc.id, doc.version, doc.categoryPath])).toEqual([
      ['P1', 4, 'Dairy > Dahi'],
      ['P2', 1, 'Dairy > Dahi'],
    ]);
  });

  it('re-indexes at most maxCategoryProducts per batch and says which category it cut short', async () => {
    const engine = new RecordingEngine();
    const many = Array.from({ length: 7 }, (_, i) => productItem(`Q${i}`, SUB, TOP));
    const { deps: d } = deps(engine, many, { maxCategoryProducts: 5 });
    const result = await indexChanges(d, [
      categoryRecord(categoryItem(SUB, 'Curd', TOP), categoryItem(SUB, 'Dahi', TOP)),
    ]);
    expect(engine.indexed).toHaveLength(5);
    expect(result).toMatchObject({ reindexedForCategories: 5, truncatedCategories: [SUB] });
  });

  it("retries from the category's record when a re-indexed product is refused", async () => {
    const engine = new RecordingEngine(new Set(['P2']));
    const { deps: d } = deps(engine, products);
    const own = productRecord(productItem('P4', OTHER, OTHER, 2));
    const rename = categoryRecord(categoryItem(SUB, 'Curd', TOP), categoryItem(SUB, 'Dahi', TOP));
    const result = await indexChanges(d, [own, rename]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: rename.dynamodb!.SequenceNumber }]);
    expect(result.indexed).toBe(1);
  });
});
