/** HTTP contracts of the inventory imports: upload URLs for a merchant's stock CSV, and the imports' progress. */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { IMPORT_STATUSES, MAX_FILE_BYTES, ULID_PATTERN } from './domain';

const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));

export const storePath = () => z.strictObject({ storeId: ulidSchema() });
export const importPath = () => z.strictObject({ importId: ulidSchema() });

export const createImportBody = () =>
  z.strictObject({
    /** The exact size of the file in bytes: it is signed into the URL, so S3 takes exactly that many. */
    contentLength: z.number().check(z.int(), z.gte(1), z.lte(MAX_FILE_BYTES)),
  });
export type CreateImportInput = z.infer<ReturnType<typeof createImportBody>>;

export const createdImportSchema = () =>
  z.object({
    importId: z.string(),
    uploadUrl: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  });

const countSchema = () => z.number().check(z.int(), z.gte(0));
export const countsSchema = () =>
  z.object({
    rows: countSchema(),
    valid: countSchema(),
    applied: countSchema(),
    /** Valid rows left as they were because a newer import had already set the line. */
    superseded: countSchema(),
    rejected: countSchema(),
  });

export const importSummarySchema = () =>
  z.object({
    importId: z.string(),
    storeId: z.string(),
    status: z.enum(IMPORT_STATUSES),
    counts: countsSchema(),
    /** Why the file was REJECTED or the import FAILED. */
    reason: z.optional(z.string()),
    createdAt: z.string(),
    startedAt: z.nullable(z.string()),
    finishedAt: z.nullable(z.string()),
  });

export const importSchema = () =>
  z.object({
    ...importSummarySchema().shape,
    /** The first rejected rows; the report has all of them. */
    errors: z.array(z.object({ line: countSchema(), column: z.optional(z.string()), reason: z.string() })),
    /** A pre-signed GET of the error report (valid 15 minutes), when rows were rejected. */
    reportUrl: z.optional(z.string()),
  });

const ROLES = { roles: ['merchant', 'admin'] } as const;
const TAGS = ['Inventory imports'];

export const createImportRoute = defineRoute({
  method: 'POST',
  path: '/v1/merchant/stores/{storeId}/inventory-imports',
  summary:
    'Starts an inventory import: a pre-signed PUT for a CSV (text/csv, at most 10 MB, valid 15 minutes) that is applied once uploaded',
  tags: TAGS,
  auth: ROLES,
  request: () => ({ pathParams: storePath(), body: createImportBody() }),
  success: { status: 201, description: 'Where and how to upload the file', schema: createdImportSchema },
  errors: [404],
});

export const getImportRoute = defineRoute({
  method: 'GET',
  path: '/v1/merchant/inventory-imports/{importId}',
  summary: "One inventory import's status, counts, first errors and report",
  tags: TAGS,
  auth: ROLES,
  request: () => ({ pathParams: importPath() }),
  success: { status: 200, description: 'The import', schema: importSchema },
  errors: [404],
});

export const listImportsRoute = defineRoute({
  method: 'GET',
  path: '/v1/merchant/stores/{storeId}/inventory-imports',
  summary: "A store's inventory imports, newest first",
  tags: TAGS,
  auth: ROLES,
  request: () => ({ pathParams: storePath(), query: z.strictObject(paginationQuery()) }),
  success: {
    status: 200,
    description: 'One page of imports',
    schema: () => pageSchema(importSummarySchema()),
  },
  errors: [404],
});
