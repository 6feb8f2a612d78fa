/** HTTP contracts of the inventory service: a store's stock lines, read and changed by its own people. */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { MAX_UNITS, ULID_PATTERN } from './domain';

const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

export const storePath = () => z.strictObject({ storeId: ulidSchema() });
export const linePath = () => z.strictObject({ storeId: ulidSchema(), productId: ulidSchema() });

export const changeStockBody = () =>
  z
    .strictObject({
      set: z.optional(z.number().check(z.int(), z.gte(0), z.lte(MAX_UNITS))),
      adjust: z.optional(
        z.number().check(
          z.int(),
          z.gte(-MAX_UNITS),
          z.lte(MAX_UNITS),
          z.refine((n) => n !== 0, 'An adjustment may not be 0'),
        ),
      ),
      reason: z.string().check(
        z.trim(),
        z.minLength(1),
        z.maxLength(200),
        z.refine((v) => !FORBIDDEN.test(v), 'Control characters are not allowed'),
      ),
    })
    .check(
      z.refine((b) => (b.set === undefined) !== (b.adjust === undefined), {
        path: ['set'],
        message: 'Send exactly one of set (the new count) or adjust (a signed change)',
      }),
    );
export type ChangeStockInput = z.infer<ReturnType<typeof changeStockBody>>;

/** `If-Match` carries the version of the line the caller last saw: `3`, `"3"` or `W/"3"`. */
export const ifMatchHeaders = () =>
  z.object({
    'if-match': z.optional(
      z.string().check(z.regex(/^(W\/)?("\d{1,12}"|\d{1,12})$/, 'The version of the line, e.g. "3"')),
    ),
  });

export const stockLineSchema = () =>
  z.object({
    productId: z.string(),
    available: z.number().check(z.int()),
    reserved: z.number().check(z.int()),
    version: z.number().check(z.int()),
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
  request: () => ({ pathParams: storePath(), query: z.strictObject(paginationQuery()) }),
  success: {
    status: 200,
    description: 'One page of stock lines',
    schema: () => pageSchema(stockLineSchema()),
  },
  errors: [404],
});

export const getStockRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}/inventory/{productId}',
  summary: 'One stock line; the ETag is its version',
  tags: TAGS,
  auth: ROLES,
  request: () => ({ pathParams: linePath() }),
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
  request: () => ({ pathParams: linePath(), headers: ifMatchHeaders(), body: changeStockBody() }),
  success: { status: 200, description: 'The stock line after the change', schema: stockLineSchema },
  errors: [404, 409, 412],
});
