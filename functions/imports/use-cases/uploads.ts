/** Starting an import (a pre-signed upload), reading one, listing a store's. */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { Caller } from '#shared/http/identity';
import type { CreateImportInput } from '../contracts';
import {
  CSV_CONTENT_TYPE,
  importErrors,
  mayImport,
  mayReadImport,
  NO_COUNTS,
  ULID_PATTERN,
  UPLOAD_URL_TTL_SECONDS,
  uploadKey,
  type ImportRecord,
} from '../domain';
import type { UploadDeps } from '../ports';
import { once } from '#shared/once';

async function storeFor(deps: Pick<UploadDeps, 'stores'>, caller: Caller, storeId: string) {
  const store = await deps.stores.getAccess(storeId);
  if (!store) throw importErrors.storeNotFound(storeId);
  if (!mayImport(caller, store)) throw importErrors.forbidden();
  return store;
}

export async function createImport(
  deps: UploadDeps,
  caller: Caller,
  storeId: string,
  input: CreateImportInput,
) {
  const store = await storeFor(deps, caller, storeId);
  const importId = deps.newId();
  const now = deps.now();
  // Under the owner's prefix even when an admin asks: the key names the store's merchant.
  const key = uploadKey(store.merchantId, storeId, importId);
  await deps.imports.create({
    importId,
    storeId,
    merchantId: store.merchantId,
    createdBy: caller.userId,
    objectKey: key,
    status: 'PENDING',
    counts: NO_COUNTS,
    errors: [],
    createdAt: now,
  });
  const uploadUrl = await deps.signer.presignPut({
    key,
    contentType: CSV_CONTENT_TYPE,
    contentLength: input.contentLength,
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
  });
  return {
    importId,
    uploadUrl,
    method: 'PUT' as const,
    // Both are signed: S3 refuses a PUT of another type or size.
    headers: { 'Content-Type': CSV_CONTENT_TYPE, 'Content-Length': String(input.contentLength) },
    expiresAt: new Date(Date.parse(now) + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
  };
}

/** Another merchant's import is a 404, as if it did not exist. */
export async function getImport(
  deps: UploadDeps,
  caller: Caller,
  importId: string,
): Promise<{ record: ImportRecord; reportUrl?: string }> {
  const record = await deps.imports.get(importId);
  if (!record) throw importErrors.importNotFound(importId);
  const store = caller.roles.includes('admin') ? undefined : await deps.stores.getAccess(record.storeId);
  if (!mayReadImport(caller, record, store)) throw importErrors.importNotFound(importId);
  if (!record.reportKey) return { record };
  return { record, reportUrl: await deps.signer.presignGet(record.reportKey, UPLOAD_URL_TTL_SECONDS) };
}

const scope = (storeId: string) => `inventory-imports:${storeId}`;
const positionSchema = once(() => z.strictObject({ i: z.string().check(z.regex(ULID_PATTERN)) }));

export async function listImports(
  deps: Omit<UploadDeps, 'signer'>,
  caller: Caller,
  request: { readonly storeId: string; readonly limit: number; readonly cursor?: string },
): Promise<{ items: readonly ImportRecord[]; nextCursor: string | null }> {
  const position = decodeCursor(request.cursor, scope(request.storeId), positionSchema);
  await storeFor(deps, caller, request.storeId);
  const page = await deps.imports.listByStore(request.storeId, { limit: request.limit, after: position?.i });
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor({ i: page.next }, scope(request.storeId)) : null,
  };
}
