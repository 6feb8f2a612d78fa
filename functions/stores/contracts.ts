/**
 * HTTP contracts of the stores service: dark stores (admin), the public store page, serviceability and the
 * customer's saved location. Strict zod schemas: unknown fields are a 400.
 */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { isValidTimeZone } from './domain/hours';
import { STORE_STATUSES, ULID_PATTERN, USER_ID_PATTERN, WEEKDAYS } from './domain/store';

// --- field schemas -----------------------------------------------------------------------------------------

export const ulidSchema = z
  .string()
  .check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
export const userIdSchema = z
  .string()
  .check(z.regex(USER_ID_PATTERN, 'Must be a user id (a lower-case UUID)'));

const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine(
      (v) => !FORBIDDEN.test(v),
      'Line breaks, control characters and unpaired surrogates are not allowed',
    ),
  );

export const latSchema = z.number().check(z.gte(-90), z.lte(90));
export const lngSchema = z.number().check(z.gte(-180), z.lte(180));
export const latLngSchema = z.strictObject({ lat: latSchema, lng: lngSchema });

/** A coordinate in a query string: a plain decimal number ("12.9352"), nothing else ("1e2", "NaN", " 7"). */
const coordinate = (min: number, max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.regex(/^-?\d{1,3}(\.\d{1,17})?$/, 'Expected a decimal number of degrees')),
      z.transform(Number),
    ),
    z.number().check(z.gte(min), z.lte(max)),
  );

export const MAX_RADIUS_METRES = 5000;
export const areaSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('radius'),
    radiusMetres: z.number().check(z.int(), z.gte(100), z.lte(MAX_RADIUS_METRES)),
  }),
  z.strictObject({
    type: z.literal('polygon'),
    vertices: z.array(latLngSchema).check(z.minLength(3), z.maxLength(64)),
  }),
]);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const intervalSchema = z
  .strictObject({
    open: z.string().check(z.regex(HHMM, 'HH:MM from 00:00 to 23:59')),
    close: z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM from 00:00 to 24:00')),
  })
  .check(
    z.refine((i) => i.open !== i.close, { message: 'An interval may not open and close at the same time' }),
  );
const daySchema = z.array(intervalSchema).check(z.maxLength(4));
export const hoursSchema = z.strictObject({
  timeZone: z
    .string()
    .check(z.maxLength(64), z.refine(isValidTimeZone, 'Must be an IANA time zone, e.g. Asia/Kolkata')),
  days: z.strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(daySchema)])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodMiniOptional<typeof daySchema>
    >,
  ),
});

const prepMinutes = z.number().check(z.int(), z.gte(1), z.lte(60));
const status = z.enum(STORE_STATUSES);

// --- request schemas ---------------------------------------------------------------------------------------

export const storeIdPath = z.strictObject({ storeId: ulidSchema });
export const staffPath = z.strictObject({ storeId: ulidSchema, userId: userIdSchema });

export const createStoreBody = z.strictObject({
  name: text(120),
  location: latLngSchema,
  area: areaSchema,
  hours: hoursSchema,
  prepMinutes,
  status: z._default(status, 'open'),
  merchantId: userIdSchema,
});
export type CreateStoreInput = z.infer<typeof createStoreBody>;

export const updateStoreBody = z
  .strictObject({
    name: z.optional(text(120)),
    location: z.optional(latLngSchema),
    area: z.optional(areaSchema),
    hours: z.optional(hoursSchema),
    prepMinutes: z.optional(prepMinutes),
    status: z.optional(status),
    merchantId: z.optional(userIdSchema),
  })
  .check(z.refine((v) => Object.keys(v).length > 0, 'Send at least one field to change'));
export type UpdateStoreInput = z.infer<typeof updateStoreBody>;

export const staffBody = z.strictObject({ role: z.enum(['store_staff', 'delivery_partner']) });

export const pointQuery = z.strictObject({ lat: coordinate(-90, 90), lng: coordinate(-180, 180) });

export const saveLocationBody = z.strictObject({
  lat: latSchema,
  lng: lngSchema,
  label: z.optional(text(40)),
  address: z.optional(text(300)),
});
export type SaveLocationInput = z.infer<typeof saveLocationBody>;

// --- response schemas --------------------------------------------------------------------------------------

const publicStoreFields = {
  id: z.string(),
  name: z.string(),
  location: latLngSchema,
  hours: hoursSchema,
  status,
  /** Open now: status `open` and within today's opening hours in the store's time zone. */
  openNow: z.boolean(),
  prepMinutes: z.number().check(z.int()),
};
export const publicStoreSchema = z.object(publicStoreFields);
export const adminStoreSchema = z.object({
  ...publicStoreFields,
  area: areaSchema,
  merchantId: z.string(),
  staff: z.array(z.object({ userId: z.string(), role: z.enum(['store_staff', 'delivery_partner']) })),
  cellCount: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const adminStorePageSchema = pageSchema(adminStoreSchema);

export const serviceabilitySchema = z.union([
  z.object({
    serviceable: z.literal(true),
    storeId: z.string(),
    storeName: z.string(),
    etaMinutes: z.number().check(z.int()),
  }),
  z.object({ serviceable: z.literal(false), reason: z.enum(['outside_service_area', 'no_store_open']) }),
]);

export const savedLocationSchema = z.object({
  lat: z.number(),
  lng: z.number(),
  label: z.optional(z.string()),
  address: z.optional(z.string()),
  /** The store the location resolved to when saved; absent when it was not serviceable. */
  storeId: z.optional(z.string()),
  storeName: z.optional(z.string()),
  updatedAt: z.string(),
});

// --- routes ------------------------------------------------------------------------------------------------

const ADMIN = { roles: ['admin'] } as const;
const PUBLIC = { public: true } as const;
const ADMIN_TAGS = ['Stores admin'];
const TAGS = ['Stores'];

export const createStoreRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/stores',
  summary: 'Create a dark store (its service area is indexed at once)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  body: createStoreBody,
  success: { status: 201, description: 'The new store', schema: adminStoreSchema },
});

export const updateStoreRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/admin/stores/{storeId}',
  summary: 'Change some fields of a store (a new location or area re-indexes it in the same transaction)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  pathParams: storeIdPath,
  body: updateStoreBody,
  success: { status: 200, description: 'The updated store', schema: adminStoreSchema },
  errors: [404, 409],
});

export const listStoresRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/stores',
  summary: 'Every store, by id',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  query: z.strictObject(paginationQuery),
  success: { status: 200, description: 'One page of stores', schema: adminStorePageSchema },
});

export const assignStaffRoute = defineRoute({
  method: 'PUT',
  path: '/v1/admin/stores/{storeId}/staff/{userId}',
  summary:
    'Assign a user who holds the role to a store as store staff or delivery partner (idempotent); 404 for an unknown user, 409 when the user lacks the role',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  pathParams: staffPath,
  body: staffBody,
  success: { status: 200, description: 'The store with its staff', schema: adminStoreSchema },
  errors: [404, 409],
});

export const removeStaffRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/admin/stores/{storeId}/staff/{userId}',
  summary: 'Remove a user from a store (idempotent)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  pathParams: staffPath,
  success: { status: 204, description: 'Removed' },
  errors: [404],
});

export const getStoreRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}',
  summary: 'A store: name, location, opening hours, status and whether it is open now',
  tags: TAGS,
  auth: PUBLIC,
  pathParams: storeIdPath,
  success: { status: 200, description: 'The store', schema: publicStoreSchema },
  errors: [404],
});

export const serviceabilityRoute = defineRoute({
  method: 'GET',
  path: '/v1/serviceability',
  summary: 'Whether a point is served now, by which store and how fast',
  tags: TAGS,
  auth: PUBLIC,
  query: pointQuery,
  success: {
    status: 200,
    description:
      'The nearest open store whose service area covers the point, with the ETA in minutes; or why not ' +
      '(outside every service area, or no covering store open now)',
    schema: serviceabilitySchema,
  },
});

const CUSTOMER = { roles: ['customer'] } as const;

export const saveLocationRoute = defineRoute({
  method: 'PUT',
  path: '/v1/me/location',
  summary: "Save the caller's delivery location; answers whether and by which store it is served",
  tags: TAGS,
  auth: CUSTOMER,
  body: saveLocationBody,
  success: {
    status: 200,
    description: 'The serviceability of the saved location',
    schema: serviceabilitySchema,
  },
});

export const getLocationRoute = defineRoute({
  method: 'GET',
  path: '/v1/me/location',
  summary: "The caller's saved delivery location and the store it resolved to",
  tags: TAGS,
  auth: CUSTOMER,
  success: { status: 200, description: 'The saved location', schema: savedLocationSchema },
  errors: [404],
});
