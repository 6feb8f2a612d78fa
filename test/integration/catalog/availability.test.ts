/**
 * Availability on the catalogue's public product routes: at `?storeId=`, or at the store of the caller's
 * saved location, and none without a store.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { handler as createCategory } from '../../../functions/catalog/handlers/create-category';
import { handler as createProduct } from '../../../functions/catalog/handlers/create-product';
import { handler as getProduct } from '../../../functions/catalog/handlers/get-product';
import { handler as listCategoryProducts } from '../../../functions/catalog/handlers/list-category-products';
import { handler as saveLocation } from '../../../functions/stores/handlers/save-location';
import { stockItem } from '../../../functions/shared/published/stock';
import type { Role } from '../../../functions/shared/http/route';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, newStore, ok } from '../stores/helpers';

jest.setTimeout(30_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

async function catalogue(count: number) {
  const tag = ulid().toLowerCase();
  const category = ok(
    await invoke(createCategory, {
      method: 'POST',
      path: '/v1/admin/categories',
      as: admin,
      body: { name: `Avail ${tag}`, slug: `avail-${tag}` },
    }),
    201,
  );
  const products = [];
  for (let i = 0; i < count; i++) {
    products.push(
      ok(
        await invoke(createProduct, {
          method: 'POST',
          path: '/v1/admin/products',
          as: admin,
          body: {
            sku: `AV-${tag.slice(-8).toUpperCase()}-${i}`,
            name: `Avail ${tag} ${i}`,
            slug: `avail-${tag}-${i}`,
            categoryId: category.id,
            unit: '1 kg',
            pricePaise: 100,
            mrpPaise: 100,
          },
        }),
        201,
      ),
    );
  }
  return { category, products };
}

const stock = (storeId: string, productId: string, available: number) =>
  documents.send(
    new PutCommand({
      TableName: resources.tableNames.Inventory!,
      Item: stockItem({ storeId, productId, available, reserved: 1, version: 1, updatedAt: 't' }),
    }),
  );

const product = (
  productId: string,
  opts: { query?: Record<string, string>; as?: { userId: string; roles: Role[] } } = {},
) => invoke(getProduct, { path: `/v1/products/${productId}`, pathParameters: { productId }, ...opts });

describe('availability on product routes', () => {
  it('shows in stock, low stock with the quantity, and out of stock at ?storeId=', async () => {
    const store = await newStore();
    const { products } = await catalogue(3);
    await stock(store.id, products[0].id, 40);
    await stock(store.id, products[1].id, 3);
    // products[2] has no line at this store: out of stock
    const q = { query: { storeId: store.id } };
    expect(ok(await product(products[0].id, q)).availability).toEqual({
      storeId: store.id,
      status: 'in_stock',
    });
    expect(ok(await product(products[1].id, q)).availability).toEqual({
      storeId: store.id,
      status: 'low_stock',
      quantity: 3,
    });
    expect(ok(await product(products[2].id, q)).availability).toEqual({
      storeId: store.id,
      status: 'out_of_stock',
    });
  });

  it('shows no availability block without a store, for anonymous callers and callers without a saved location', async () => {
    const { products } = await catalogue(1);
    expect(ok(await product(products[0].id))).not.toHaveProperty('availability');
    const someone = { userId: randomUUID(), roles: ['customer'] as Role[] };
    expect(ok(await product(products[0].id, { as: someone }))).not.toHaveProperty('availability');
  });

  it("uses the store of the caller's saved location", async () => {
    const store = await newStore();
    const { products } = await catalogue(1);
    await stock(store.id, products[0].id, 2);
    const me = { userId: randomUUID(), roles: ['customer'] as Role[] };
    ok(await invoke(saveLocation, { method: 'PUT', path: '/v1/me/location', as: me, body: store.location }));
    expect(ok(await product(products[0].id, { as: me })).availability).toEqual({
      storeId: store.id,
      status: 'low_stock',
      quantity: 2,
    });
  });

  it('shows availability on every item of a listing page, and refuses a malformed storeId', async () => {
    const store = await newStore();
    const { category, products } = await catalogue(4);
    await stock(store.id, products[0].id, 0);
    await stock(store.id, products[1].id, 6);
    await stock(store.id, products[2].id, 5);
    const list = (query: Record<string, string>) =>
      invoke(listCategoryProducts, {
        path: `/v1/categories/${category.id}/products`,
        pathParameters: { categoryId: category.id },
        query,
      });
    const page = ok(await list({ storeId: store.id, limit: '10' }));
    const byId = Object.fromEntries(
      page.items.map((i: { id: string; availability: unknown }) => [i.id, i.availability]),
    );
    expect(byId).toEqual({
      [products[0].id]: { storeId: store.id, status: 'out_of_stock' },
      [products[1].id]: { storeId: store.id, status: 'in_stock' },
      [products[2].id]: { storeId: store.id, status: 'low_stock', quantity: 5 },
      [products[3].id]: { storeId: store.id, status: 'out_of_stock' },
    });
    const plain = ok(await list({ limit: '10' }));
    expect(plain.items.every((i: object) => !('availability' in i))).toBe(true);
    expect((await list({ storeId: 'not-a-store' })).status).toBe(400);
    expect((await product(products[0].id, { query: { storeId: 'x' } })).status).toBe(400);
  });
});
