/**
 * Fixtures of the cart and orders integration tests: a store of their own (round the clock, in a spot no
 * other test uses), products written in the catalogue's published layout, stock lines, and customers whose
 * saved location resolves to the store (through the stores service's own handler).
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { cartItem } from '../../../functions/shared/published/cart';
import { productKey } from '../../../functions/shared/published/product';
import { savedLocationItem } from '../../../functions/shared/published/saved-location';
import { stockFromItem, stockItem, stockKey } from '../../../functions/shared/published/stock';
import type { Role } from '../../../functions/shared/http/route';
import { handler as assignStaff } from '../../../functions/stores/handlers/assign-staff';
import { handler as saveLocation } from '../../../functions/stores/handlers/save-location';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, newStore, ok, registeredUser } from '../stores/helpers';

export const resources = testResources();
const clients = testClients(resources);
export const documents = DynamoDBDocumentClient.from(clients.dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
export const destroyClients = () => Object.values(clients).forEach((c) => c.destroy());

export type Caller = { userId: string; roles: Role[] };
export const user = (...roles: Role[]): Caller => ({ userId: randomUUID(), roles });

export async function newProduct(
  fields: { pricePaise?: number; isActive?: boolean; maxPerOrder?: number } = {},
) {
  const id = ulid();
  const now = new Date().toISOString();
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Catalog!,
      Item: {
        ...productKey(id),
        entity: 'Product',
        id,
        sku: `T-${id.slice(-8)}`,
        slug: `test-${id.toLowerCase()}`,
        name: `Test product ${id.slice(-6)}`,
        categoryId: ulid(),
        unit: '500 g',
        pricePaise: fields.pricePaise ?? 5_000,
        mrpPaise: (fields.pricePaise ?? 5_000) + 1_000,
        currency: 'INR',
        imageKeys: [],
        tags: [],
        isActive: fields.isActive ?? true,
        ...(fields.maxPerOrder !== undefined ? { maxPerOrder: fields.maxPerOrder } : {}),
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
    }),
  );
  return id;
}

export async function setPrice(productId: string, pricePaise: number) {
  const { Item } = await documents.send(
    new GetCommand({ TableName: resources.tableNames.Catalog!, Key: productKey(productId) }),
  );
  await documents.send(
    new PutCommand({ TableName: resources.tableNames.Catalog!, Item: { ...Item, pricePaise, version: 2 } }),
  );
}

export async function putStock(storeId: string, productId: string, available: number, reserved = 0) {
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Inventory!,
      Item: stockItem({
        storeId,
        productId,
        available,
        reserved,
        version: 1,
        updatedAt: new Date().toISOString(),
      }),
    }),
  );
}

export async function stockOf(storeId: string, productId: string) {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: resources.tableNames.Inventory!,
      Key: stockKey(storeId, productId),
      ConsistentRead: true,
    }),
  );
  return Item ? stockFromItem(Item) : undefined;
}

/** A store (open round the clock) with one store-staff member and one rider. */
export async function newShop() {
  const store = await newStore();
  const staff = await registeredUser('store_staff');
  const rider = await registeredUser('delivery_partner');
  for (const [who, role] of [
    [staff, 'store_staff'],
    [rider, 'delivery_partner'],
  ] as const)
    ok(
      await invoke(assignStaff, {
        method: 'PUT',
        path: `/v1/admin/stores/${store.id}/staff/${who.userId}`,
        pathParameters: { storeId: store.id, userId: who.userId },
        body: { role },
        as: admin,
      }),
    );
  return {
    storeId: store.id as string,
    location: store.location as { lat: number; lng: number },
    staff,
    rider,
  };
}

/** A customer whose saved location is the store's own spot (so it resolves to that store). */
export async function customerAt(location: { lat: number; lng: number }): Promise<Caller> {
  const me = user('customer');
  const saved = ok(
    await invoke(saveLocation, { method: 'PUT', path: '/v1/me/location', as: me, body: location }),
  );
  if (!saved.serviceable) throw new Error(`Location not serviceable: ${JSON.stringify(saved)}`);
  return me;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('Condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes a cart straight into the table (published layout): set-up for the many-customer tests. */
export async function putCart(
  userId: string,
  lines: { productId: string; quantity: number; pricePaise?: number }[],
) {
  const now = new Date();
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Carts!,
      Item: cartItem({
        userId,
        lines: lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          addedPricePaise: l.pricePaise ?? 5_000,
          addedAt: now.toISOString(),
        })),
        version: 1,
        updatedAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + 3600,
      }),
    }),
  );
}

/** Customers whose saved location is `location` at `storeId`, written straight into the table. */
export async function customersAt(
  count: number,
  storeId: string | undefined,
  location: { lat: number; lng: number },
) {
  const customers = Array.from({ length: count }, () => user('customer'));
  await Promise.all(
    customers.map((c) =>
      documents.send(
        new PutCommand({
          TableName: resources.tableNames.CustomerLocations!,
          Item: savedLocationItem({
            userId: c.userId,
            ...location,
            storeId,
            updatedAt: new Date().toISOString(),
          }),
        }),
      ),
    ),
  );
  return customers;
}

/** Every order of the table placed by one of `customerIds` (a consistent scan; test tables are small). */
export async function ordersOf(customerIds: readonly string[]) {
  const ids = new Set(customerIds);
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: resources.tableNames.Orders!,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(page.Items ?? []).filter((o) => ids.has(String(o.customerId))));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
