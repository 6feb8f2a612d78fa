/**
 * The demo catalogue seed against DynamoDB Local, in a table of its own (created from the app definition),
 * so its fixed slugs and marker never meet the handler tests' data.
 */
import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoCatalogRepository } from '../../../functions/catalog/adapters/dynamodb-repository';
import { app } from '../../../lib/app/app';
import { catalogSeedData } from '../../../local/seed/catalog-data';
import { seedCatalog } from '../../../local/seed/catalog';
import { testClients } from '../../support/engines';

jest.setTimeout(60_000);

const clients = testClients();
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const tableName = `catalog-seed-${ulid()}`;
const repository = new DynamoCatalogRepository(documents, tableName);

beforeAll(async () => {
  const def = app.tables.find((t) => t.name === 'Catalog')!;
  const keys = [
    def.partitionKey,
    def.sortKey!,
    ...(def.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey!]),
  ];
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
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
});
afterAll(async () => {
  await clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
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
    expect(first).toEqual({ categories: 61, products: 300, skipped: false });
    expect(progress.at(-1)).toEqual([300, 300]);
    // Every product with its slug and SKU guards, every category with its slug guard, and the marker.
    const items = await itemCount();
    expect(items).toBe(300 * 3 + 61 * 2 + 1);

    const again = await seedCatalog({ documentClient: documents, tableName, products: 300 });
    expect(again).toEqual({ categories: 61, products: 300, skipped: true });
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
  });

  it('shrinks to a smaller count by removing the extra products, keeping counters exact', async () => {
    await seedCatalog({ documentClient: documents, tableName, products: 300 });
    const result = await seedCatalog({ documentClient: documents, tableName, products: 120 });
    expect(result).toEqual({ categories: 61, products: 120, skipped: false });
    expect(await itemCount()).toBe(120 * 3 + 61 * 2 + 1);
    const categories = await repository.listCategories();
    expect(categories.reduce((n, c) => n + c.productCount, 0)).toBe(120);
    const removed = catalogSeedData(300).products[200]!;
    expect(await repository.getProduct(removed.id)).toBeUndefined();
  });
});
