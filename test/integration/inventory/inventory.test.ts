/**
 * Inventory handlers against DynamoDB Local: conditional writes under concurrency, If-Match, the audit
 * trail, and who may read and change a store's stock.
 */
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { handler as changeStock } from '../../../functions/inventory/handlers/change-stock';
import { handler as getStock } from '../../../functions/inventory/handlers/get-stock';
import { handler as listStock } from '../../../functions/inventory/handlers/list-stock';
import { handler as assignStaff } from '../../../functions/stores/handlers/assign-staff';
import { stockItem } from '../../../functions/shared/published/stock';
import type { Role } from '../../../functions/shared/http/route';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, newStore, ok, registeredUser } from '../stores/helpers';

jest.setTimeout(60_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

type Caller = { userId: string; roles: Role[] };
const user = (...roles: Role[]): Caller => ({ userId: randomUUID(), roles });

async function assign(storeId: string, who: Caller, role: 'store_staff' | 'delivery_partner') {
  ok(
    await invoke(assignStaff, {
      method: 'PUT',
      path: `/v1/admin/stores/${storeId}/staff/${who.userId}`,
      pathParameters: { storeId, userId: who.userId },
      body: { role },
      as: admin,
    }),
  );
}

/** A store with a merchant, one store-staff member and one delivery partner, and one stocked product. */
async function stockedStore(available = 10) {
  const merchant = user('merchant');
  const staff = await registeredUser('store_staff');
  const rider = await registeredUser('delivery_partner', 'store_staff');
  const store = await newStore({ merchantId: merchant.userId });
  await assign(store.id, staff, 'store_staff');
  await assign(store.id, rider, 'delivery_partner');
  const productId = ulid();
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Inventory!,
      Item: stockItem({
        storeId: store.id,
        productId,
        available,
        reserved: 0,
        version: 1,
        updatedAt: new Date().toISOString(),
      }),
    }),
  );
  return { store, storeId: store.id as string, productId, merchant, staff, rider };
}

const line = (storeId: string, productId: string, as: Caller | undefined) =>
  invoke(getStock, {
    path: `/v1/stores/${storeId}/inventory/${productId}`,
    pathParameters: { storeId, productId },
    as,
  });
const list = (storeId: string, as: Caller | undefined, query: Record<string, string> = {}) =>
  invoke(listStock, { path: `/v1/stores/${storeId}/inventory`, pathParameters: { storeId }, as, query });
const change = (
  storeId: string,
  productId: string,
  body: unknown,
  as: Caller | undefined,
  headers: Record<string, string> = {},
) =>
  invoke(changeStock, {
    method: 'PATCH',
    path: `/v1/stores/${storeId}/inventory/${productId}`,
    pathParameters: { storeId, productId },
    body,
    as,
    headers,
  });

/**
 * A client that retries a 409 `contention` answer (nothing was written) as the API tells it to; any other
 * answer is final.
 */
async function changeRetrying(...args: Parameters<typeof change>) {
  for (let attempt = 0; ; attempt++) {
    const res = await change(...args);
    if (res.status !== 409 || res.body.type !== '/problems/contention' || attempt >= 20)
      return { res, attempt };
    await new Promise((r) => setTimeout(r, Math.random() * 200));
  }
}

async function auditOf(storeId: string, productId: string) {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: resources.tableNames.InventoryAudit!,
      KeyConditionExpression: 'line = :l',
      ExpressionAttributeValues: { ':l': `${storeId}#${productId}` },
    }),
  );
  return Items;
}

describe('stock changes', () => {
  it('sets and adjusts with an ETag, and audits who, when, before, after and why', async () => {
    const { storeId, productId, staff } = await stockedStore(10);
    const res = await change(storeId, productId, { adjust: -3, reason: 'damaged' }, staff);
    expect(ok(res)).toMatchObject({ productId, available: 7, reserved: 0, version: 2 });
    expect(res.headers.etag).toBe('"2"');
    ok(await change(storeId, productId, { set: 50, reason: 'recount' }, staff));
    const audit = await auditOf(storeId, productId);
    expect(
      audit.map((a) => [a.userId, a.reason, a.before.available, a.after.available, a.after.version]),
    ).toEqual([
      [staff.userId, 'damaged', 10, 7, 2],
      [staff.userId, 'recount', 7, 50, 3],
    ]);
    expect(audit[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('applies 100 concurrent adjusts exactly once each', async () => {
    const { storeId, productId, merchant } = await stockedStore(0);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        changeRetrying(storeId, productId, { adjust: 1, reason: 'delivery' }, merchant),
      ),
    );
    expect(results.map((r) => r.res.status)).toEqual(Array(100).fill(200));
    process.stderr.write(
      `100 concurrent adjusts: ${results.filter((r) => r.attempt > 0).length} needed a client retry\n`,
    );
    expect(ok(await line(storeId, productId, merchant))).toMatchObject({ available: 100, version: 101 });
    expect(await auditOf(storeId, productId)).toHaveLength(100);
  });

  it('refuses concurrent decrements past zero with 409 and never goes negative', async () => {
    const { storeId, productId, staff } = await stockedStore(5);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        changeRetrying(storeId, productId, { adjust: -1, reason: 'sold' }, staff),
      ),
    );
    expect(results.filter((r) => r.res.status === 409).map((r) => r.res.body.type)).toEqual(
      Array(7).fill('/problems/conflict'),
    );
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(409)]);
    expect(ok(await line(storeId, productId, staff))).toMatchObject({ available: 0, version: 6 });
    expect(await auditOf(storeId, productId)).toHaveLength(5);
  });

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const { storeId, productId, staff } = await stockedStore(10);
    const stale = await change(storeId, productId, { set: 3, reason: 'count' }, staff, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/precondition-failed');
    ok(await change(storeId, productId, { set: 3, reason: 'count' }, staff, { 'If-Match': '"1"' }));
    expect(
      (await change(storeId, productId, { set: 4, reason: 'count' }, staff, { 'If-Match': '1' })).status,
    ).toBe(412);
    expect(await auditOf(storeId, productId)).toHaveLength(1);
  });

  it('refuses bodies with both or neither of set and adjust, and negative sets', async () => {
    const { storeId, productId, staff } = await stockedStore();
    for (const body of [
      { set: 1, adjust: 1, reason: 'x' },
      { reason: 'x' },
      { set: -1, reason: 'x' },
      { adjust: 0, reason: 'x' },
      { set: 1 },
    ]) {
      expect((await change(storeId, productId, body, staff)).status).toBe(400);
    }
    expect(
      (await change(storeId, productId, { set: 1, reason: 'x' }, staff, { 'If-Match': 'abc' })).status,
    ).toBe(400);
  });
});

describe('who may read and change stock', () => {
  it('lets the store staff, the owning merchant and admins in on every route', async () => {
    const { storeId, productId, staff, merchant } = await stockedStore();
    for (const who of [staff, merchant, admin]) {
      expect((await line(storeId, productId, who)).status).toBe(200);
      expect(ok(await list(storeId, who)).items).toEqual([expect.objectContaining({ productId })]);
      expect((await change(storeId, productId, { adjust: 1, reason: 'x' }, who)).status).toBe(200);
    }
  });

  it('refuses staff of another store, a merchant of another store, an assigned rider and a customer (403)', async () => {
    const a = await stockedStore();
    const b = await stockedStore();
    for (const who of [b.staff, b.merchant, a.rider, user('customer'), user('delivery_partner')]) {
      expect((await line(a.storeId, a.productId, who)).status).toBe(403);
      expect((await list(a.storeId, who)).status).toBe(403);
      expect((await change(a.storeId, a.productId, { adjust: 1, reason: 'x' }, who)).status).toBe(403);
    }
    expect(ok(await line(a.storeId, a.productId, admin))).toMatchObject({ available: 10, version: 1 });
  });

  it('answers 404 for an unknown store and for a product the store does not stock', async () => {
    const { storeId, staff } = await stockedStore();
    const unknown = ulid();
    expect((await line(unknown, ulid(), admin)).status).toBe(404);
    expect((await list(unknown, admin)).status).toBe(404);
    expect((await change(unknown, ulid(), { adjust: 1, reason: 'x' }, admin)).status).toBe(404);
    expect((await line(storeId, ulid(), staff)).status).toBe(404);
    expect((await change(storeId, ulid(), { adjust: 1, reason: 'x' }, staff)).status).toBe(404);
  });

  it('pages a store listing with a cursor that only works for that store', async () => {
    const { storeId, productId } = await stockedStore();
    const other = ulid();
    await documents.send(
      new PutCommand({
        TableName: resources.tableNames.Inventory!,
        Item: stockItem({ storeId, productId: other, available: 1, reserved: 0, version: 1, updatedAt: 't' }),
      }),
    );
    const first = ok(await list(storeId, admin, { limit: '1' }));
    const second = ok(await list(storeId, admin, { limit: '1', cursor: first.nextCursor }));
    expect([...first.items, ...second.items].map((l: { productId: string }) => l.productId).sort()).toEqual(
      [productId, other].sort(),
    );
    expect(second.nextCursor).toBeNull();
    const elsewhere = await stockedStore();
    expect((await list(elsewhere.storeId, admin, { cursor: first.nextCursor })).status).toBe(400);
  });
});
