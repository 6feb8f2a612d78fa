/**
 * HTTP contracts of the stores service's admin routes: dark stores (create, change, list) and their staff.
 * Strict zod schemas: unknown fields are a 400. The public and customer routes are in contracts.ts.
 */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { USER_ID_PATTERN } from './domain/store';
import {
  hoursSchema,
  latLngSchema,
  publicStoreFields,
  storeIdPath,
  storeStatusSchema,
  text,
  ulidSchema,
} from './contracts';

// --- field schemas -----------------------------------------------------------------------------------------

export const userIdSchema = () =>
  z.string().check(z.regex(USER_ID_PATTERN, 'Must be a user id (a lower-case UUID)'));

export const MAX_RADIUS_METRES = 5000;
export const areaSchema = () =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('radius'),
      radiusMetres: z.number().check(z.int(), z.gte(100), z.lte(MAX_RADIUS_METRES)),
    }),
    z.strictObject({
      type: z.literal('polygon'),
      vertices: z.array(latLngSchema()).check(z.minLength(3), z.maxLength(64)),
    }),
  ]);

const prepMinutes = () => z.number().check(z.int(), z.gte(1), z.lte(60));
// Built once for both bodies (the response builders in contracts.ts build their own for the OpenAPI document).
const hours = hoursSchema();
const storeStatus = storeStatusSchema();

// --- request schemas ---------------------------------------------------------------------------------------

export const staffPath = () => z.strictObject({ storeId: ulidSchema(), userId: userIdSchema() });

export const createStoreBody = () =>
  z.strictObject({
    name: text(120),
    location: latLngSchema(),
    area: areaSchema(),
    hours,
    prepMinutes: prepMinutes(),
    status: z._default(storeStatus, 'open'),
    merchantId: userIdSchema(),
  });
export type CreateStoreInput = z.infer<ReturnType<typeof createStoreBody>>;

export const updateStoreBody = () =>
  z
    .strictObject({
      name: z.optional(text(120)),
      location: z.optional(latLngSchema()),
      area: z.optional(areaSchema()),
      hours: z.optional(hours),
      prepMinutes: z.optional(prepMinutes()),
      status: z.optional(storeStatus),
      merchantId: z.optional(userIdSchema()),
    })
    .check(z.refine((v) => Object.keys(v).length > 0, 'Send at least one field to change'));
export type UpdateStoreInput = z.infer<ReturnType<typeof updateStoreBody>>;

export const staffBody = () => z.strictObject({ role: z.enum(['store_staff', 'delivery_partner']) });

// --- response schemas --------------------------------------------------------------------------------------

export const adminStoreSchema = () =>
  z.object({
    ...publicStoreFields(),
    area: areaSchema(),
    merchantId: z.string(),
    staff: z.array(z.object({ userId: z.string(), role: z.enum(['store_staff', 'delivery_partner']) })),
    cellCount: z.number().check(z.int()),
    createdAt: z.string(),
    updatedAt: z.string(),
  });
export const adminStorePageSchema = () => pageSchema(adminStoreSchema());

// --- routes ------------------------------------------------------------------------------------------------

const ADMIN = { roles: ['admin'] } as const;
const ADMIN_TAGS = ['Stores admin'];

export const createStoreRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/stores',
  summary: 'Create a dark store (its service area is indexed at once)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ body: createStoreBody() }),
  success: { status: 201, description: 'The new store', schema: adminStoreSchema },
});

export const updateStoreRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/admin/stores/{storeId}',
  summary: 'Change some fields of a store (a new location or area re-indexes it in the same transaction)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: storeIdPath(), body: updateStoreBody() }),
  success: { status: 200, description: 'The updated store', schema: adminStoreSchema },
  errors: [404, 409],
});

export const listStoresRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/stores',
  summary: 'Every store, by id',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ query: z.strictObject(paginationQuery()) }),
  success: { status: 200, description: 'One page of stores', schema: adminStorePageSchema },
});

export const assignStaffRoute = defineRoute({
  method: 'PUT',
  path: '/v1/admin/stores/{storeId}/staff/{userId}',
  summary:
    'Assign a user who holds the role to a store as store staff or delivery partner (idempotent); 404 for an unknown user, 409 when the user lacks the role',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: staffPath(), body: staffBody() }),
  success: { status: 200, description: 'The store with its staff', schema: adminStoreSchema },
  errors: [404, 409],
});

export const removeStaffRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/admin/stores/{storeId}/staff/{userId}',
  summary: 'Remove a user from a store (idempotent)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: staffPath() }),
  success: { status: 204, description: 'Removed' },
  errors: [404],
});
