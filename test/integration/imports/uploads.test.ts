/**
 * The inventory import routes against the local engines: the upload URL (a pre-signed PUT the S3 engine
 * takes, for exactly text/csv and the declared size, under the owner's prefix), reading one import and a
 * store's list, and who may do what: the store's merchant or an admin; another merchant 403 on a store and
 * 404 on an import; customers 403.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { handler as createImport } from '../../../functions/imports/handlers/create-import';
import { handler as getImport } from '../../../functions/imports/handlers/get-import';
import { handler as listImports } from '../../../functions/imports/handlers/list-imports';
import type { Role } from '../../../functions/shared/http/route';
import { invoke } from '../../support/lambda';
import { admin, ok } from '../stores/helpers';
import { bucket, clients, documents, merchantStore, resources } from './helpers';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';

jest.setTimeout(60_000);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

type Caller = { userId: string; roles: Role[] };
const create = (storeId: string, as: Caller | undefined, body: unknown = { contentLength: 100 }) =>
  invoke(createImport, {
    method: 'POST',
    path: `/v1/merchant/stores/${storeId}/inventory-imports`,
    pathParameters: { storeId },
    body,
    as,
  });
const get = (importId: string, as: Caller | undefined) =>
  invoke(getImport, { path: `/v1/merchant/inventory-imports/${importId}`, pathParameters: { importId }, as });
const list = (storeId: string, as: Caller | undefined, query: Record<string, string> = {}) =>
  invoke(listImports, {
    path: `/v1/merchant/stores/${storeId}/inventory-imports`,
    pathParameters: { storeId },
    as,
    query,
  });

describe('POST /v1/merchant/stores/{storeId}/inventory-imports', () => {
  it("answers 201 with a pre-signed PUT under the owner's prefix that the S3 engine takes", async () => {
    const { storeId, merchantId, merchant } = await merchantStore();
    const file = Buffer.from('sku,quantity\nABC-1,3\n');
    const res = await create(storeId, merchant, { contentLength: file.length });
    const body = ok(res, 201);
    expect(body).toEqual({
      importId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      uploadUrl: expect.any(String),
      method: 'PUT',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': String(file.length) },
      expiresAt: expect.any(String),
    });
    const url = new URL(body.uploadUrl);
    expect(url.pathname).toBe(`/${bucket}/imports/${merchantId}/${storeId}/${body.importId}.csv`);
    // Type and size are signed, so S3 refuses any other (s3rver itself does not check V4 signatures).
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    const expires = Date.parse(body.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(14 * 60_000);
    expect(expires).toBeLessThanOrEqual(15 * 60_000);

    const put = await fetch(body.uploadUrl, { method: 'PUT', headers: body.headers, body: file });
    expect(put.status).toBe(200);
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `imports/${merchantId}/${storeId}/${body.importId}.csv` }),
    );
    expect(head).toMatchObject({ ContentType: 'text/csv', ContentLength: file.length });

    expect(ok(await get(body.importId, merchant))).toEqual({
      importId: body.importId,
      storeId,
      status: 'PENDING',
      counts: { rows: 0, valid: 0, applied: 0, superseded: 0, rejected: 0 },
      errors: [],
      createdAt: expect.any(String),
      startedAt: null,
      finishedAt: null,
    });
  });

  it("lets an admin start one, under the store owner's prefix", async () => {
    const { storeId, merchantId } = await merchantStore();
    const body = ok(await create(storeId, admin), 201);
    expect(new URL(body.uploadUrl).pathname).toContain(`/imports/${merchantId}/${storeId}/`);
  });

  it('refuses more than 10 MB, no size and other fields (400), unknown stores (404)', async () => {
    const { storeId, merchant } = await merchantStore();
    expect((await create(storeId, merchant, { contentLength: 10 * 1024 * 1024 + 1 })).status).toBe(400);
    expect((await create(storeId, merchant, { contentLength: 0 })).status).toBe(400);
    expect((await create(storeId, merchant, {})).status).toBe(400);
    expect((await create(storeId, merchant, { contentLength: 5, contentType: 'text/csv' })).status).toBe(400);
    expect((await create(ulid(), merchant)).status).toBe(404);
  });

  it('refuses another merchant (403), customers and store staff (403) and nobody (401)', async () => {
    const { storeId } = await merchantStore();
    expect((await create(storeId, { userId: randomUUID(), roles: ['merchant'] })).status).toBe(403);
    expect((await create(storeId, { userId: randomUUID(), roles: ['customer'] })).status).toBe(403);
    expect((await create(storeId, { userId: randomUUID(), roles: ['store_staff'] })).status).toBe(403);
    expect((await create(storeId, undefined)).status).toBe(401);
  });
});

describe('GET /v1/merchant/inventory-imports/{importId}', () => {
  it("is 404 for another merchant's import and for unknown ids, 200 for the owner and admins", async () => {
    const { storeId, merchant } = await merchantStore();
    const { importId } = ok(await create(storeId, merchant), 201);
    expect((await get(importId, { userId: randomUUID(), roles: ['merchant'] })).status).toBe(404);
    expect((await get(ulid(), merchant)).status).toBe(404);
    expect(ok(await get(importId, admin)).importId).toBe(importId);
    expect(ok(await get(importId, merchant)).importId).toBe(importId);
  });

  it('links the error report with a pre-signed GET once there is one', async () => {
    const { storeId, merchant, merchantId } = await merchantStore();
    const { importId } = ok(await create(storeId, merchant), 201);
    const reportKey = `imports/${merchantId}/${storeId}/${importId}.errors.csv`;
    await documents.send(
      new UpdateCommand({
        TableName: resources.tableNames.InventoryImportRecords!,
        Key: { importId },
        UpdateExpression: 'SET reportKey = :k, #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':k': reportKey, ':s': 'PARTIALLY_APPLIED' },
      }),
    );
    const body = ok(await get(importId, merchant));
    expect(body.status).toBe('PARTIALLY_APPLIED');
    expect(new URL(body.reportUrl).pathname).toBe(`/${bucket}/${reportKey}`);
  });
});

describe('GET /v1/merchant/stores/{storeId}/inventory-imports', () => {
  it("pages through the store's imports newest first with a cursor scoped to the store", async () => {
    const { storeId, merchant } = await merchantStore();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(ok(await create(storeId, merchant), 201).importId);
    const first = ok(await list(storeId, merchant, { limit: '2' }));
    expect(first.items.map((i: { importId: string }) => i.importId)).toEqual([ids[4], ids[3]]);
    expect(first.items[0]).toMatchObject({ storeId, status: 'PENDING', counts: { rows: 0 } });
    const second = ok(await list(storeId, merchant, { limit: '2', cursor: first.nextCursor }));
    const third = ok(await list(storeId, merchant, { limit: '2', cursor: second.nextCursor }));
    expect([...second.items, ...third.items].map((i: { importId: string }) => i.importId)).toEqual([
      ids[2],
      ids[1],
      ids[0],
    ]);
    expect(third.nextCursor).toBeNull();

    const other = await merchantStore();
    expect((await list(other.storeId, other.merchant, { cursor: first.nextCursor })).status).toBe(400);
    expect((await list(storeId, other.merchant)).status).toBe(403);
    expect((await list(ulid(), merchant)).status).toBe(404);
    expect(ok(await list(storeId, admin)).items).toHaveLength(5);
  });
});
