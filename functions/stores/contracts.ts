/**
 * HTTP contracts of the stores service's public and customer routes: the public store page, serviceability
 * and the customer's saved location, with the field schemas the service shares. Strict zod schemas: unknown
 * fields are a 400. The admin routes (dark stores, their staff) are in admin-contracts.ts, so the functions
 * on the app's hot paths do not build their schemas at init (docs/decisions/0010-lean-functions.md).
 */
import * as z from 'zod/mini';
import { defineRoute } from '#shared/http/route';
import { isValidTimeZone } from './domain/hours';
import { STORE_STATUSES, ULID_PATTERN, WEEKDAYS } from './domain/store';

// --- field schemas -----------------------------------------------------------------------------------------

export const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));

const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
export const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine(
      (v) => !FORBIDDEN.test(v),
      'Line breaks, control characters and unpaired surrogates are not allowed',
    ),
  );

export const latSchema = () => z.number().check(z.gte(-90), z.lte(90));
export const lngSchema = () => z.number().check(z.gte(-180), z.lte(180));
export const latLngSchema = () => z.strictObject({ lat: latSchema(), lng: lngSchema() });

/** A coordinate in a query string: a plain decimal number ("12.9352"), nothing else ("1e2", "NaN", " 7"). */
const coordinate = (min: number, max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.regex(/^-?\d{1,3}(\.\d{1,17})?$/, 'Expected a decimal number of degrees')),
      z.transform(Number),
    ),
    z.number().check(z.gte(min), z.lte(max)),
  );

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const intervalSchema = () =>
  z
    .strictObject({
      open: z.string().check(z.regex(HHMM, 'HH:MM from 00:00 to 23:59')),
      close: z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM from 00:00 to 24:00')),
    })
    .check(
      z.refine((i) => i.open !== i.close, { message: 'An interval may not open and close at the same time' }),
    );
const daySchema = () => z.array(intervalSchema()).check(z.maxLength(4));
export const hoursSchema = () =>
  z.strictObject({
    timeZone: z
      .string()
      .check(z.maxLength(64), z.refine(isValidTimeZone, 'Must be an IANA time zone, e.g. Asia/Kolkata')),
    days: z.strictObject(
      Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(daySchema())])) as Record<
        (typeof WEEKDAYS)[number],
        z.ZodMiniOptional<ReturnType<typeof daySchema>>
      >,
    ),
  });

export const storeStatusSchema = () => z.enum(STORE_STATUSES);

// --- request schemas ---------------------------------------------------------------------------------------

export const storeIdPath = () => z.strictObject({ storeId: ulidSchema() });

export const pointQuery = () => z.strictObject({ lat: coordinate(-90, 90), lng: coordinate(-180, 180) });

export const saveLocationBody = () =>
  z.strictObject({
    lat: latSchema(),
    lng: lngSchema(),
    label: z.optional(text(40)),
    address: z.optional(text(300)),
  });
export type SaveLocationInput = z.infer<ReturnType<typeof saveLocationBody>>;

// --- response schemas --------------------------------------------------------------------------------------

export const publicStoreFields = () => ({
  id: z.string(),
  name: z.string(),
  location: latLngSchema(),
  hours: hoursSchema(),
  status: storeStatusSchema(),
  /** Open now: status `open` and within today's opening hours in the store's time zone. */
  openNow: z.boolean(),
  prepMinutes: z.number().check(z.int()),
});
export const publicStoreSchema = () => z.object(publicStoreFields());
export const serviceabilitySchema = () =>
  z.union([
    z.object({
      serviceable: z.literal(true),
      storeId: z.string(),
      storeName: z.string(),
      etaMinutes: z.number().check(z.int()),
    }),
    z.object({ serviceable: z.literal(false), reason: z.enum(['outside_service_area', 'no_store_open']) }),
  ]);

export const savedLocationSchema = () =>
  z.object({
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

const PUBLIC = { public: true } as const;
const TAGS = ['Stores'];

export const getStoreRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}',
  summary: 'A store: name, location, opening hours, status and whether it is open now',
  tags: TAGS,
  auth: PUBLIC,
  request: () => ({ pathParams: storeIdPath() }),
  success: { status: 200, description: 'The store', schema: publicStoreSchema },
  errors: [404],
});

export const serviceabilityRoute = defineRoute({
  method: 'GET',
  path: '/v1/serviceability',
  summary: 'Whether a point is served now, by which store and how fast',
  tags: TAGS,
  auth: PUBLIC,
  request: () => ({ query: pointQuery() }),
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
  request: () => ({ body: saveLocationBody() }),
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
