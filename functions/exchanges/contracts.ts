/** HTTP contracts of the exchanges service: requests, decisions, the replacement's delivery, reads, photos. */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { presignedUploadSchema } from '#shared/http/upload-url';
import {
  DELIVERY_STEPS,
  EXCHANGE_REASONS,
  EXCHANGE_STATUSES,
  MAX_NOTE,
  MAX_PHOTOS,
  ULID_PATTERN,
} from './domain';

const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((v) => !FORBIDDEN.test(v), 'Control characters are not allowed'),
  );

const orderPath = () => z.strictObject({ orderId: ulidSchema() });
const exchangePath = () => z.strictObject({ exchangeId: ulidSchema() });
/** An order holds at most 50 lines (checkout's cap). */
const MAX_LINES = 50;

export const requestExchangeBody = () =>
  z.strictObject({
    lines: z
      .array(
        z.strictObject({
          productId: ulidSchema(),
          quantity: z.number().check(z.int(), z.gte(1), z.lte(100)),
          reason: z.enum(EXCHANGE_REASONS),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_LINES)),
    note: z.optional(text(MAX_NOTE)),
    photoKeys: z.optional(z.array(z.string().check(z.maxLength(120))).check(z.maxLength(MAX_PHOTOS))),
  });

export const decisionBody = () =>
  z.strictObject({
    decision: z.enum(['approve', 'reject']),
    note: z.optional(text(MAX_NOTE)),
  });

export const replacementStatusBody = () => z.strictObject({ status: z.enum(DELIVERY_STEPS) });

export const PHOTO_CONTENT_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const photoUploadBody = () =>
  z.strictObject({
    contentType: z.enum(Object.keys(PHOTO_CONTENT_TYPES) as [keyof typeof PHOTO_CONTENT_TYPES]),
    contentLength: z.number().check(z.int(), z.positive(), z.lte(PHOTO_MAX_BYTES)),
  });

export const exchangeSchema = () =>
  z.object({
    exchangeId: z.string(),
    orderId: z.string(),
    customerId: z.string(),
    storeId: z.string(),
    status: z.enum(EXCHANGE_STATUSES),
    lines: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.number().check(z.int()),
        reason: z.enum(EXCHANGE_REASONS),
        unitPricePaise: z.number().check(z.int()),
      }),
    ),
    valuePaise: z.number().check(z.int()),
    note: z.optional(z.string()),
    photoKeys: z.array(z.string()),
    delivery: z.optional(z.object({ status: z.enum(['PENDING', ...DELIVERY_STEPS]) })),
    /** The lines' refund when the replacement could not be reserved; REFUNDED once the payments work made it. */
    refund: z.optional(
      z.object({
        status: z.enum(['PENDING', 'REFUNDED']),
        amountPaise: z.number().check(z.int()),
        refundedAt: z.optional(z.string()),
        providerReference: z.optional(z.string()),
      }),
    ),
    history: z.array(
      z.object({
        status: z.enum([...EXCHANGE_STATUSES, 'PACKED']),
        at: z.string(),
        by: z.enum(['customer', 'store_staff', 'delivery_partner', 'admin', 'rules']),
        note: z.optional(z.string()),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().check(z.int()),
  });

const TAGS = ['Exchanges'];

export const requestExchangeRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders/{orderId}/exchanges',
  summary:
    "The customer asks to replace delivered items of their own order within the exchange window; the rules may approve at once (the replacement's stock is then reserved)",
  tags: TAGS,
  auth: { roles: ['customer'] },
  idempotent: true,
  request: () => ({ pathParams: orderPath(), body: requestExchangeBody() }),
  success: { status: 201, description: 'The exchange', schema: exchangeSchema },
  errors: [404, 409, 422],
});

export const createPhotoUploadUrlRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders/{orderId}/exchanges/photo-upload-url',
  summary:
    "A pre-signed S3 PUT URL for one photo of an exchange of the caller's order (JPEG, PNG or WebP, at most 5 MiB, valid 5 minutes)",
  tags: TAGS,
  auth: { roles: ['customer'] },
  request: () => ({ pathParams: orderPath(), body: photoUploadBody() }),
  success: { status: 201, description: 'Where and how to upload the photo', schema: presignedUploadSchema },
  errors: [404],
});

export const getExchangeRoute = defineRoute({
  method: 'GET',
  path: '/v1/exchanges/{exchangeId}',
  summary: "One exchange with its history (its customer, the order store's staff and rider, admins)",
  tags: TAGS,
  auth: { roles: ['customer', 'store_staff', 'delivery_partner', 'admin'] },
  request: () => ({ pathParams: exchangePath() }),
  success: { status: 200, description: 'The exchange', schema: exchangeSchema },
  errors: [404],
});

export const listExchangesRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/exchanges',
  summary: 'The review queue: exchanges of one status (default REQUESTED), oldest first',
  tags: TAGS,
  auth: { roles: ['admin'] },
  request: () => ({
    query: z.strictObject({
      ...paginationQuery(),
      status: z._default(z.enum(EXCHANGE_STATUSES), 'REQUESTED'),
    }),
  }),
  success: { status: 200, description: 'One page of exchanges', schema: () => pageSchema(exchangeSchema()) },
});

export const decideExchangeRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/exchanges/{exchangeId}/decision',
  summary:
    "An admin or the order store's staff approves (the replacement's stock is reserved, or the lines refunded when it is gone) or rejects a requested exchange",
  tags: TAGS,
  auth: { roles: ['admin', 'store_staff'] },
  request: () => ({ pathParams: exchangePath(), body: decisionBody() }),
  success: { status: 200, description: 'The exchange after the decision', schema: exchangeSchema },
  errors: [404, 409],
});

export const changeReplacementStatusRoute = defineRoute({
  method: 'POST',
  path: '/v1/exchanges/{exchangeId}/status',
  summary:
    "The replacement's delivery at the order's store: staff PACKED, the rider OUT_FOR_DELIVERY (the reservation becomes a sale) and DELIVERED (the exchange is COMPLETED)",
  tags: TAGS,
  auth: { roles: ['store_staff', 'delivery_partner', 'admin'] },
  request: () => ({ pathParams: exchangePath(), body: replacementStatusBody() }),
  success: { status: 200, description: 'The exchange after the move', schema: exchangeSchema },
  errors: [404, 409],
});
