/**
 * The demo catalogue seed against DynamoDB Local, in a table of its own (created from the app definition),
 * so its fixed slugs and marker never meet the handler tests' data.
 */
import { passThroughCache } from '../../../functions/shared/cache/port';
import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoCatalogRepository } from '../../../functions/catalog/adapters/dynamodb-repository';
import type { CatalogDeps } from '../../../functions/catalog/ports';
import { createProduct, deleteProduct, updateProduct } from '../../../functions/catalog/use-cases/products';
import { app } from '../../../lib/app/app';
import { catalogSeedData } from '../../../local/seed/catalog-data';
import { seedCatalog } from '../../../local/seed/catalog';
import { testClients } from '../../support/engines';
import { auditCatalog } from './audit';

jest.setTimeout(60_000);

const clients = testClients();
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const tableName = `catalog-seed-${ulid()}`;
const repository = new DynamoCatalogRepository(documents, tableName);
const tables = [tableName];

/** A Catalog table as the app definition declares it. */
async function createCatalogTable(name: string): Promise<void> {
  const def = app.tables.find((t) => t.name === 'Catalog')!;
  const keys = [
    def.partitionKey,
    def.sortKey!,
    ...(def.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey!]),
  ];
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
      KeySchema: [
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: def.sortKey!.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: (def.indexes ?? []).map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey!.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
}

/** A table of its own for one test, and the use cases an admin would call on it. */
async function adminWorld() {
  const table = `catalog-seed-${ulid()}`;
  tables.push(table);
  await createCatalogTable(table);
  const repo = new DynamoCatalogRepository(documents, table);
  const deps: CatalogDeps = {
    repository: repo,
    cache: passThroughCache,
    now: () => new Date().toISOString(),
    newId: ulid,
  };
  const seed = (products: number) => seedCatalog({ documentClient: documents, tableName: table, products });
  return { table, repo, deps, seed };
}

beforeAll(() => createCatalogTable(tableName));
afterAll(async () => {
  for (const table of tables) await clients.dynamodb.send(new DeleteTableCommand({ TableName: table }));
  Object.values(clients).forEach((c) => c.destroy());
});

async function itemCount(): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await clients.dynamodb.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
  return count;
}

async function listedCount(categoryId: string): Promise<number> {
  const category = (await repository.getCategory(categoryId))!;
  let count = 0;
  let after;
  do {
    const page = await repository.listActiveProducts(category, { limit: 100, after });
    count += page.items.length;
    after = page.next;
  } while (after);
  return count;
}

describe('seedCatalog', () => {
  it('writes 300 products once, and seeding the same count again changes nothing', async () => {
    const progress: [number, number][] = [];
    const first = await seedCatalog({
      documentClient: documents,
      tableName,
      products: 300,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(first).toEqual({ categories: 61, products: 300, skipped: false, conflicts: 0 });
    expect(progress.at(-1)).toEqual([300, 300]);
    // Every product with its slug and SKU guards, every category with its slug guard, and the marker.
    const items = await itemCount();
    expect(items).toBe(300 * 3 + 61 * 2 + 1);

    const again = await seedCatalog({ documentClient: documents, tableName, products: 300 });
    expect(again).toEqual({ categories: 61, products: 300, skipped: true, conflicts: 0 });
    expect(await itemCount()).toBe(items);
  });

  it('seeds data the API reads like its own: counters match the listings, guards point at their owners', async () => {
    await seedCatalog({ documentClient: documents, tableName, products: 300 });
    const categories = await repository.listCategories();
    const tops = categories.filter((c) => !c.parentId);
    expect(tops.length).toBeGreaterThanOrEqual(10);
    expect(categories.length).toBeGreaterThanOrEqual(20);
    for (const top of tops) {
      const children = categories.filter((c) => c.parentId === top.id);
      expect(top.childCount).toBe(children.length);
      const active = children.reduce((n, c) => n + c.activeProductCount, top.activeProductCount);
      expect(await listedCount(top.id)).toBe(active);
    }
    const data = catalogSeedData(300);
    const sample = data.products[123]!;
    expect(await repository.getProduct(sample.id)).toEqual(sample);
    expect(await auditCatalog(documents, tableName)).toEqual([]);
  });

  it('shrinks to a smaller count by removing the extra products, keeping counters exact', async () => {
    await seedCatalog({ documentClient: documents, tableName, products: 300 });
    const result = await seedCatalog({ documentClient: documents, tableName, products: 120 });
    expect(result).toEqual({ categories: 61, products: 120, skipped: false, conflicts: 0 });
    expect(await itemCount()).toBe(120 * 3 + 61 * 2 + 1);
    const categories = await repository.listCategories();
    expect(categories.reduce((n, c) => n + c.productCount, 0)).toBe(120);
    const removed = catalogSeedData(300).products[200]!;
    expect(await repository.getProduct(removed.id)).toBeUndefined();
    expect(await auditCatalog(documents, tableName)).toEqual([]);
  });
});

describe('seedCatalog next to an admin', () => {
  const data = catalogSeedData(300);
  const body = (categoryId: string, fields: Record<string, unknown>) => ({
    sku: `ADMIN-${ulid().slice(-8)}`,
    name: 'Added by an admin',
    slug: `admin-${ulid().toLowerCase()}`,
    categoryId,
    unit: '1 kg',
    pricePaise: 10_000,
    mrpPaise: 12_000,
    currency: 'INR' as const,
    imageKeys: [],
    tags: [],
    isActive: true,
    maxPerOrder: 10,
    ...fields,
  });

  it('a larger seed adds products around what an admin changed, claimed or deleted, and overwrites none of it', async () => {
    const { table, repo, deps, seed } = await adminWorld();
    await seed(120);
    const [edited, toggled, renamed, removed] = [
      data.products[10]!,
      data.products[11]!,
      data.products[12]!,
      data.products[13]!,
    ];
    await updateProduct(deps, edited.id, { name: 'Edited by an admin', pricePaise: edited.mrpPaise });
    await updateProduct(deps, toggled.id, { isActive: !toggled.isActive });
    await updateProduct(deps, renamed.id, { slug: 'renamed-by-an-admin' });
    await deleteProduct(deps, removed.id);
    // Products the larger seed would add: one's slug and another's SKU are taken by an admin first.
    const [slugWanted, skuWanted] = [data.products[150]!, data.products[151]!];
    const holdsSlug = await createProduct(deps, body(slugWanted.categoryId, { slug: slugWanted.slug }));
    const holdsSku = await createProduct(deps, body(skuWanted.categoryId, { sku: skuWanted.sku }));

    const result = await seed(300);
    expect(result).toMatchObject({ products: 300, skipped: false, conflicts: 2 });

    expect(await repo.getProduct(edited.id)).toMatchObject({ name: 'Edited by an admin', version: 2 });
    expect(await repo.getProduct(toggled.id)).toMatchObject({ isActive: !toggled.isActive });
    expect(await repo.getProduct(renamed.id)).toMatchObject({ slug: 'renamed-by-an-admin' });
    expect(await repo.getProduct(removed.id)).toBeUndefined();
    expect(await repo.getProduct(slugWanted.id)).toBeUndefined();
    expect(await repo.getProduct(skuWanted.id)).toBeUndefined();
    expect(await repo.getProduct(data.products[200]!.id)).toEqual(data.products[200]);
    expect(await auditCatalog(documents, table)).toEqual([]);
    // The admin's products are still theirs to manage.
    await deleteProduct(deps, holdsSlug.id);
    await updateProduct(deps, holdsSku.id, { sku: 'ADMIN-RENAMED' });
    expect(await auditCatalog(documents, table)).toEqual([]);
  });

  it('a smaller seed removes only the seed products nobody edited; admin products stay counted', async () => {
    const { table, repo, deps, seed } = await adminWorld();
    await seed(300);
    const [edited, untouched] = [data.products[250]!, data.products[260]!];
    await updateProduct(deps, edited.id, { pricePaise: edited.mrpPaise });
    const mine = await createProduct(deps, body(untouched.categoryId, {}));

    const result = await seed(120);
    expect(result).toMatchObject({ products: 120, skipped: false, conflicts: 1 });
    expect(await repo.getProduct(edited.id)).toMatchObject({ pricePaise: edited.mrpPaise, version: 2 });
    expect(await repo.getProduct(untouched.id)).toBeUndefined();
    expect(await repo.getProduct(mine.id)).toEqual(mine);
    expect(await auditCatalog(documents, table)).toEqual([]);
    expect(await seed(120)).toMatchObject({ skipped: true });
  });

  it('finishes an interrupted seed on the next run, bulk or incremental, with exact counters', async () => {
    const { table, repo } = await adminWorld();
    /** A client that fails its `writes`-th write call, like a seed killed half-way. */
    const failingAfter = (writes: number) => {
      const client = DynamoDBDocumentClient.from(clients.dynamodb);
      const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
      let count = 0;
      client.send = ((command: { constructor: { name: string } }) => {
        if (/BatchWrite|TransactWrite/.test(command.constructor.name) && ++count >= writes)
          return Promise.reject(new Error('killed'));
        return send(command);
      }) as typeof client.send;
      return client;
    };
    const seedWith = (documentClient: DynamoDBDocumentClient, products: number) =>
      seedCatalog({ documentClient, tableName: table, products, concurrency: 1 });

    await expect(seedWith(failingAfter(5), 200)).rejects.toThrow('killed');
    expect(await seedWith(documents, 100)).toMatchObject({ skipped: false, conflicts: 0 });
    expect(await auditCatalog(documents, table)).toEqual([]);
    expect(await repo.getProduct(catalogSeedData(200).products[150]!.id)).toBeUndefined();

    await expect(seedWith(failingAfter(30), 250)).rejects.toThrow('killed');
    expect(await seedWith(documents, 250)).toMatchObject({ skipped: false, conflicts: 0 });
    expect(await auditCatalog(documents, table)).toEqual([]);
    const total = async () => (await repo.listCategories()).reduce((n, c) => n + c.productCount, 0);
    expect(await total()).toBe(250);

    await expect(seedWith(failingAfter(40), 100)).rejects.toThrow('killed');
    expect(await seedWith(documents, 200)).toMatchObject({ skipped: false, conflicts: 0 });
    expect(await auditCatalog(documents, table)).toEqual([]);
    expect(await total()).toBe(200);
  });

  it('seeding the same count again leaves edited categories and products as they are', async () => {
    const { table, repo, deps, seed } = await adminWorld();
    await seed(50);
    const product = data.products[5]!;
    await updateProduct(deps, product.id, { isActive: false, name: 'Delisted by an admin' });
    expect(await seed(50)).toMatchObject({ skipped: true });
    expect(await repo.getProduct(product.id)).toMatchObject({
      isActive: false,
      name: 'Delisted by an admin',
    });
    expect(await auditCatalog(documents, table)).toEqual([]);
  });
});
