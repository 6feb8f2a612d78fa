/**
 * Stores handlers against DynamoDB Local: admin CRUD, staff, the public store page, serviceability and the
 * saved location. Each test puts its stores at a random spot in the ocean, so tests never see each other's.
 */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { handler as assignStaff } from '../../../functions/stores/handlers/assign-staff';
import { handler as getLocation } from '../../../functions/stores/handlers/get-location';
import { handler as getServiceability } from '../../../functions/stores/handlers/get-serviceability';
import { handler as getStore } from '../../../functions/stores/handlers/get-store';
import { handler as listStores } from '../../../functions/stores/handlers/list-stores';
import { handler as removeStaff } from '../../../functions/stores/handlers/remove-staff';
import { handler as saveLocation } from '../../../functions/stores/handlers/save-location';
import { handler as updateStore } from '../../../functions/stores/handlers/update-store';
import { destination } from '../../../functions/stores/domain/geo';
import { incrementStoreLoad } from '../../../functions/shared/published/store-load';
import type { Role } from '../../../functions/shared/http/route';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';
import { admin, isolatedSpot, newStore, ok, registeredUser } from './helpers';

jest.setTimeout(30_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const storesTable = resources.tableNames.Stores!;
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const serviceability = (lat: unknown, lng: unknown) =>
  invoke(getServiceability, {
    path: '/v1/serviceability',
    query: Object.fromEntries(
      Object.entries({ lat, lng })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ),
  });

const patch = (storeId: string, body: unknown) =>
  invoke(updateStore, {
    method: 'PATCH',
    path: `/v1/admin/stores/${storeId}`,
    pathParameters: { storeId },
    body,
    as: admin,
  });

async function indexedCells(storeId: string, cells: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const cell of cells) {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: storesTable,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': `CELL#${cell}`, ':sk': storeId },
      }),
    );
    if (Items.length > 0) found.push(cell);
  }
  return found;
}

async function storeItem(storeId: string) {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: storesTable,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': 'STORE', ':sk': storeId },
    }),
  );
  return Items[0]!;
}

describe('admin stores', () => {
  it('creates a store with its cell index and shows it publicly with openNow', async () => {
    const store = await newStore({ name: 'Ocean One' });
    expect(store).toMatchObject({ name: 'Ocean One', status: 'open', openNow: true, staff: [] });
    expect(store.cellCount).toBeGreaterThan(7);
    const item = await storeItem(store.id);
    expect(await indexedCells(store.id, item.cells)).toEqual(item.cells);

    const page = ok(
      await invoke(getStore, { path: `/v1/stores/${store.id}`, pathParameters: { storeId: store.id } }),
    );
    expect(page).toEqual({
      id: store.id,
      name: 'Ocean One',
      location: store.location,
      hours: store.hours,
      status: 'open',
      openNow: true,
      prepMinutes: 4,
    });
  });

  it('answers 404 for an unknown store, on the public page and on PATCH', async () => {
    const id = ulid();
    expect(
      (await invoke(getStore, { path: `/v1/stores/${id}`, pathParameters: { storeId: id } })).status,
    ).toBe(404);
    expect((await patch(id, { name: 'x' })).status).toBe(404);
  });

  it('refuses a polygon too large to index with a 400 naming its vertices, before computing cells', async () => {
    const huge = [-60, 60].flatMap((lat) => [0, 120].map((lng) => ({ lat, lng })));
    const refused = await invoke((await import('../../../functions/stores/handlers/create-store')).handler, {
      method: 'POST',
      path: '/v1/admin/stores',
      as: admin,
      body: {
        name: 'Half the world',
        location: huge[0],
        area: { type: 'polygon', vertices: huge },
        hours: { timeZone: 'Asia/Kolkata', days: {} },
        prepMinutes: 4,
        merchantId: randomUUID(),
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'area.vertices' })]);
  });

  it('pages every store with a cursor and refuses a cursor of another listing', async () => {
    await newStore();
    await newStore();
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = ok(
        await invoke(listStores, {
          path: '/v1/admin/stores',
          as: admin,
          query: { limit: '2', ...(cursor ? { cursor } : {}) },
        }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const s of page.items) seen.add(s.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const bad = Buffer.from(JSON.stringify({ s: 'inventory:x', k: { id: ulid() } })).toString('base64url');
    expect(
      (await invoke(listStores, { path: '/v1/admin/stores', as: admin, query: { cursor: bad } })).status,
    ).toBe(400);
  });

  const assign = (storeId: string, userId: string, role: string) =>
    invoke(assignStaff, {
      method: 'PUT',
      path: `/v1/admin/stores/${storeId}/staff/${userId}`,
      pathParameters: { storeId, userId },
      body: { role },
      as: admin,
    });

  it('assigns and removes staff idempotently', async () => {
    const store = await newStore();
    const { userId } = await registeredUser('store_staff', 'delivery_partner');
    ok(await assign(store.id, userId, 'store_staff'));
    ok(await assign(store.id, userId, 'store_staff'));
    expect(ok(await assign(store.id, userId, 'delivery_partner')).staff).toEqual([
      { userId, role: 'delivery_partner' },
    ]);
    const del = () =>
      invoke(removeStaff, {
        method: 'DELETE',
        path: `/v1/admin/stores/${store.id}/staff/${userId}`,
        pathParameters: { storeId: store.id, userId },
        as: admin,
      });
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(204);
    expect((await storeItem(store.id)).staff).toEqual({});
    expect((await assign(ulid(), userId, 'store_staff')).status).toBe(404);
  });

  it('assigns only a user who exists (404) and holds the role (409), and changes nothing otherwise', async () => {
    const store = await newStore();
    const nobody = await assign(store.id, randomUUID(), 'store_staff');
    expect(nobody.status).toBe(404);
    expect(nobody.body.detail).toMatch(/^No user /);
    const customer = await registeredUser('customer');
    const rider = await registeredUser('delivery_partner');
    for (const who of [customer, rider]) {
      const res = await assign(store.id, who.userId, 'store_staff');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: '/problems/conflict' });
      expect(res.body.detail).toContain('does not hold the store_staff role');
    }
    expect((await storeItem(store.id)).staff ?? {}).toEqual({});
    expect(ok(await assign(store.id, rider.userId, 'delivery_partner')).staff).toEqual([
      { userId: rider.userId, role: 'delivery_partner' },
    ]);
  });
});

describe('serviceability over the handlers', () => {
  it('serves a point in the area with store and ETA, and says why not outside or when closed', async () => {
    const store = await newStore({ prepMinutes: 5 });
    const inside = destination(store.location, 1000, 1);
    const answer = ok(await serviceability(inside.lat, inside.lng));
    expect(answer).toEqual({ serviceable: true, storeId: store.id, storeName: store.name, etaMinutes: 10 });

    const outside = destination(store.location, 3200, 1);
    expect(ok(await serviceability(outside.lat, outside.lng))).toEqual({
      serviceable: false,
      reason: 'outside_service_area',
    });

    ok(await patch(store.id, { status: 'paused' }));
    expect(ok(await serviceability(inside.lat, inside.lng))).toEqual({
      serviceable: false,
      reason: 'no_store_open',
    });
  });

  it('adds the store load counted by incrementStoreLoad to the ETA', async () => {
    const store = await newStore({ prepMinutes: 5 });
    for (let i = 0; i < 10; i++)
      await incrementStoreLoad(documents, resources.tableNames.StoreLoad!, store.id, new Date());
    const inside = destination(store.location, 1000, 1);
    expect(ok(await serviceability(inside.lat, inside.lng)).etaMinutes).toBe(15);
  });

  it('keeps the H3 index in step after a PATCH of location and area: old cells no longer point at it', async () => {
    const store = await newStore();
    const before = await storeItem(store.id);
    const target = isolatedSpot();
    const moved = ok(
      await patch(store.id, { location: target, area: { type: 'radius', radiusMetres: 1500 } }),
    );
    const after = await storeItem(store.id);
    expect(moved.cellCount).toBe(after.cells.length);
    const removed = (before.cells as string[]).filter((c) => !after.cells.includes(c));
    expect(removed.length).toBeGreaterThan(0);
    expect(await indexedCells(store.id, removed)).toEqual([]);
    expect(await indexedCells(store.id, after.cells)).toEqual(after.cells);
    expect(ok(await serviceability(store.location.lat, store.location.lng))).toMatchObject({
      serviceable: false,
    });
    expect(ok(await serviceability(target.lat, target.lng))).toMatchObject({ storeId: store.id });

    // A polygon around the new location: still there, exactly by shape.
    const vertices = [0, 1, 2, 3].map((i) => destination(target, 1000, (i * Math.PI) / 2));
    ok(await patch(store.id, { area: { type: 'polygon', vertices } }));
    const polyItem = await storeItem(store.id);
    expect(
      await indexedCells(
        store.id,
        after.cells.filter((c: string) => !polyItem.cells.includes(c)),
      ),
    ).toEqual([]);
    const corner = destination(target, 900, Math.PI / 4); // outside the diamond, inside the old circle
    expect(ok(await serviceability(corner.lat, corner.lng))).toMatchObject({ serviceable: false });
  });

  it.each([
    [{ lat: '91', lng: '10' }],
    [{ lat: 'NaN', lng: '10' }],
    [{ lat: 'abc', lng: '10' }],
    [{ lat: '10' }],
    [{}],
    [{ lat: '10', lng: '10', extra: '1' }],
  ])('answers 400 to bad coordinates %j', async (query) => {
    const res = await invoke(getServiceability, {
      path: '/v1/serviceability',
      query: query as Record<string, string>,
    });
    expect(res.status).toBe(400);
  });
});

describe('saved location', () => {
  const customer = () => ({ userId: randomUUID(), roles: ['customer'] as Role[] });

  it('saves a location with its store and answers as serviceability does; GET reads it back', async () => {
    const store = await newStore();
    const me = customer();
    const point = destination(store.location, 500, 2);
    const saved = ok(
      await invoke(saveLocation, {
        method: 'PUT',
        path: '/v1/me/location',
        as: me,
        body: { ...point, label: 'Home' },
      }),
    );
    expect(saved).toMatchObject({ serviceable: true, storeId: store.id });
    expect(ok(await invoke(getLocation, { path: '/v1/me/location', as: me }))).toMatchObject({
      lat: point.lat,
      lng: point.lng,
      label: 'Home',
      storeId: store.id,
      storeName: store.name,
    });
  });

  it('answers 404 before anything is saved and 400 for bad coordinates', async () => {
    const me = customer();
    expect((await invoke(getLocation, { path: '/v1/me/location', as: me })).status).toBe(404);
    for (const body of [{ lat: 100, lng: 1 }, { lat: '1', lng: 1 }, { lat: 1 }, { lat: 1, lng: 1, x: 1 }]) {
      expect(
        (await invoke(saveLocation, { method: 'PUT', path: '/v1/me/location', as: me, body })).status,
      ).toBe(400);
    }
  });
});
