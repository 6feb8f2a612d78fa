/**
 * The demo stores and stock seed against DynamoDB Local, in tables of their own (created from the app
 * definition), so its fixed store ids never meet the handler tests' data.
 */
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { stockItem } from '../../../functions/shared/published/stock';
import { app } from '../../../lib/app/app';
import { catalogSeedData } from '../../../local/seed/catalog-data';
import { SEED_STORES, seedQuantity } from '../../../local/seed/stores-data';
import { seedStock, seedStores } from '../../../local/seed/stores';
import { testClients } from '../../support/engines';

jest.setTimeout(60_000);

const clients = testClients();
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const suffix = ulid();
const storesTable = `stores-seed-${suffix}`;
const inventoryTable = `inventory-seed-${suffix}`;

async function createTable(logical: string, name: string) {
  const def = app.tables.find((t) => t.name === logical)!;
  const keys = [def.partitionKey, ...(def.sortKey ? [def.sortKey] : [])];
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
      KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    }),
  );
}

beforeAll(async () => {
  await createTable('Stores', storesTable);
  await createTable('Inventory', inventoryTable);
});
afterAll(async () => {
  for (const t of [storesTable, inventoryTable])
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: t }));
  Object.values(clients).forEach((c) => c.destroy());
});

const owners = { merchantId: randomUUID(), staffId: randomUUID(), riderId: randomUUID() };
const line = async (storeId: string, productId: string) =>
  (await documents.send(new GetCommand({ TableName: inventoryTable, Key: { storeId, productId } }))).Item;

describe('stores and stock seed', () => {
  it('creates the six stores with their cell index and staff, and leaves them alone on a re-run', async () => {
    const first = await seedStores({ documentClient: documents, tableName: storesTable, ...owners });
    expect(first.map((s) => s.status)).toEqual(['open', 'open', 'open', 'open', 'open', 'closed']);
    const koramangala = SEED_STORES[0]!;
    const { Item } = await documents.send(
      new GetCommand({ TableName: storesTable, Key: { pk: 'STORE', sk: koramangala.id } }),
    );
    expect(Item).toMatchObject({
      merchantId: owners.merchantId,
      staff: { [owners.staffId]: 'store_staff', [owners.riderId]: 'delivery_partner' },
    });
    const cell = (Item!.cells as string[])[0]!;
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: storesTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CELL#${cell}` },
      }),
    );
    expect(Items.map((i) => i.sk)).toContain(koramangala.id);

    await documents.send(
      new PutCommand({ TableName: storesTable, Item: { ...Item!, name: 'Renamed by admin' } }),
    );
    const again = await seedStores({ documentClient: documents, tableName: storesTable, ...owners });
    expect(again[0]!.name).toBe('Renamed by admin');
  });

  it('seeds stock for every product at every store (some out, some low), then skips, and never overwrites API changes', async () => {
    const products = catalogSeedData(30).products;
    const first = await seedStock({ documentClient: documents, tableName: inventoryTable, products: 30 });
    expect(first).toEqual({ lines: 180, skipped: false });
    const quantities = products.flatMap((p) => SEED_STORES.map((s) => seedQuantity(s.id, p.id)));
    expect(quantities.some((q) => q === 0)).toBe(true);
    expect(quantities.some((q) => q >= 1 && q <= 5)).toBe(true);
    const [s0, p0] = [SEED_STORES[0]!, products[0]!];
    expect(await line(s0.id, p0.id)).toMatchObject({ available: seedQuantity(s0.id, p0.id), version: 1 });

    expect(await seedStock({ documentClient: documents, tableName: inventoryTable, products: 30 })).toEqual({
      lines: 180,
      skipped: true,
    });

    // Changed through the API since; then a larger seed adds lines without touching it.
    await documents.send(
      new PutCommand({
        TableName: inventoryTable,
        Item: stockItem({
          storeId: s0.id,
          productId: p0.id,
          available: 999,
          reserved: 0,
          version: 7,
          updatedAt: 't',
        }),
      }),
    );
    expect(await seedStock({ documentClient: documents, tableName: inventoryTable, products: 40 })).toEqual({
      lines: 240,
      skipped: false,
    });
    expect(await line(s0.id, p0.id)).toMatchObject({ available: 999, version: 7 });
    const added = catalogSeedData(40).products[35]!;
    expect(await line(SEED_STORES[3]!.id, added.id)).toMatchObject({ version: 1 });
  });
});
