/** HTTP contracts of the inventory service: a store's stock lines, read and changed by its own people. */
import { z } from 'zod';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { MAX_UNITS, ULID_PATTERN } from './domain';

const ulidSchema = z
  .string()
  .regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)');
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

export const storePath = z.strictObject({ storeId: ulidSchema });
export const linePath = z.strictObject({ storeId: ulidSchema, productId: ulidSchema });

export const changeStockBody = z
  .strictObject({
    set: z.number().int().min(0).max(MAX_UNITS).optional(),
    adjust: z
      .number()
      .int()
      .min(-MAX_UNITS)
      .max(MAX_UNITS)
      .refine((n) => n !== 0, 'An adjustment may not be 0')
      .optional(),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((v) => !FORBIDDEN.test(v), 'Control characters are not allowed'),
  })
  .refine((b) => (b.set === undefined) !== (b.adjust === undefined), {
    path: ['set'],
    message: 'Send exactly one of set (the new count) or adjust (a signed change)',
  });
export type ChangeStockInput = z.infer<typeof changeStockBody>;

/** `If-Match` carries the version of the line the caller last saw: `3`, `"3"` or `W/"3"`. */
export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?("\d{1,12}"|\d{1,12})$/, 'The version of the line, e.g. "3"')
    .optional(),
});

export const stockLineSchema = z.object({
  productId: z.string(),
  available: z.number().int(),
  reserved: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});

const ROLES = { roles: ['store_staff', 'merchant', 'admin'] } as const;
const TAGS = ['Inventory'];

export const listStockRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}/inventory',
  summary: "A store's stock lines, by product id (its staff, its merchant and admins)",
  tags: TAGS,
  auth: ROLES,
  pathParams: storePath,
  query: z.strictObject(paginationQuery),
  success: { status: 200, description: 'One page of stock lines', schema: pageSchema(stockLineSchema) },
  errors: [404],
});

export const getStockRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}/inventory/{productId}',
  summary: 'One stock line; the ETag is its version',
  tags: TAGS,
  auth: ROLES,
  pathParams: linePath,
  success: { status: 200, description: 'The stock line', schema: stockLineSchema },
  errors: [404],
});

export const changeStockRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/stores/{storeId}/inventory/{productId}',
  summary:
    'Set or adjust the available count (conditional write, audited in the same transaction); If-Match makes it conditional on the version',
  tags: TAGS,
  auth: ROLES,
  pathParams: linePath,
  headers: ifMatchHeaders,
  body: changeStockBody,
  success: { status: 200, description: 'The stock line after the change', schema: stockLineSchema },
  errors: [404, 409, 412],
});
