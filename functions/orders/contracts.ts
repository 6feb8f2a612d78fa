/** HTTP contracts of the orders service: checkout, the customer's orders, cancellation, store fulfilment. */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { ORDER_STATUSES, ULID_PATTERN } from './domain';

const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

const orderPath = () => z.strictObject({ orderId: ulidSchema() });
const storePath = () => z.strictObject({ storeId: ulidSchema() });
const lineSchema = () =>
  z.object({
    productId: z.string(),
    name: z.string(),
    unit: z.string(),
    quantity: z.number().check(z.int()),
    unitPricePaise: z.number().check(z.int()),
    linePaise: z.number().check(z.int()),
  });

export const orderSchema = () =>
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    storeId: z.string(),
    status: z.enum(ORDER_STATUSES),
    lines: z.array(lineSchema()),
    subtotalPaise: z.number().check(z.int()),
    deliveryFeePaise: z.number().check(z.int()),
    totalPaise: z.number().check(z.int()),
    currency: z.literal('INR'),
    deliveryLocation: z.object({
      lat: z.number(),
      lng: z.number(),
      label: z.optional(z.string()),
      address: z.optional(z.string()),
    }),
    deliveryNote: z.optional(z.string()),
    reservationExpiresAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().check(z.int()),
    history: z.array(
      z.object({
        status: z.enum(ORDER_STATUSES),
        at: z.string(),
        by: z.enum(['customer', 'store_staff', 'delivery_partner', 'admin', 'system', 'payments']),
        reason: z.optional(z.string()),
      }),
    ),
    cancellation: z.optional(z.object({ reason: z.string(), by: z.string() })),
    refund: z.optional(
      z.object({
        status: z.enum(['PENDING', 'REFUNDED']),
        amountPaise: z.number().check(z.int()),
        paymentId: z.optional(z.string()),
        /** When the payments work refunded it. */
        refundedAt: z.optional(z.string()),
      }),
    ),
    /** The order's payment (POST /v1/orders/{orderId}/payments) and its status. */
    payment: z.optional(
      z.object({
        paymentId: z.string(),
        status: z.enum(['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REFUND_PENDING', 'REFUNDED']),
      }),
    ),
  });

/** Optional: a checkout without a body is fine. Part of the idempotency check (another note → 422). */
export const placeOrderBody = () =>
  z.optional(
    z.strictObject({
      deliveryNote: z.optional(
        z.string().check(
          z.trim(),
          z.minLength(1),
          z.maxLength(200),
          z.refine((v) => !FORBIDDEN.test(v), 'Control characters are not allowed'),
        ),
      ),
    }),
  );

export const cancelBody = () =>
  z.strictObject({
    reason: z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.refine((v) => !FORBIDDEN.test(v), 'Control characters are not allowed'),
    ),
  });

export const statusBody = () =>
  z.strictObject({ status: z.enum(['PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED']) });

const TAGS = ['Orders'];

export const placeOrderRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders',
  summary:
    "Checkout: reprices the caller's cart, reserves its stock at the saved location's store atomically with the order (PENDING_PAYMENT until reservationExpiresAt), and clears the cart",
  tags: TAGS,
  auth: { roles: ['customer'] },
  idempotent: true,
  request: () => ({ body: placeOrderBody() }),
  success: { status: 201, description: 'The order', schema: orderSchema },
  errors: [409, 422],
});

export const listOrdersRoute = defineRoute({
  method: 'GET',
  path: '/v1/orders',
  summary: "The caller's own orders, newest first",
  tags: TAGS,
  auth: { roles: ['customer'] },
  request: () => ({ query: z.strictObject(paginationQuery()) }),
  success: { status: 200, description: 'One page of orders', schema: () => pageSchema(orderSchema()) },
});

/** One order as GET /v1/orders/{orderId} shows it: with its exchanges (the exchanges service's). */
export const orderWithExchangesSchema = () =>
  z.extend(orderSchema(), {
    exchanges: z.array(z.object({ exchangeId: z.string(), status: z.string(), createdAt: z.string() })),
  });

export const getOrderRoute = defineRoute({
  method: 'GET',
  path: '/v1/orders/{orderId}',
  summary:
    "One order with its status history and its exchanges (its customer, its store's staff and rider, admins)",
  tags: TAGS,
  auth: { roles: ['customer', 'store_staff', 'delivery_partner', 'admin'] },
  request: () => ({ pathParams: orderPath() }),
  success: { status: 200, description: 'The order', schema: orderWithExchangesSchema },
  errors: [404],
});

export const cancelOrderRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders/{orderId}/cancel',
  summary:
    'The customer cancels before the order is out for delivery: the reserved stock comes back; a paid order is marked for refund',
  tags: TAGS,
  auth: { roles: ['customer'] },
  idempotent: true,
  request: () => ({ pathParams: orderPath(), body: cancelBody() }),
  success: { status: 200, description: 'The cancelled order', schema: orderSchema },
  errors: [404, 409],
});

export const changeOrderStatusRoute = defineRoute({
  method: 'POST',
  path: '/v1/orders/{orderId}/status',
  summary:
    "Fulfilment at the order's store: staff CONFIRMED → PACKED, the rider PACKED → OUT_FOR_DELIVERY (the reservation becomes a sale) → DELIVERED",
  tags: TAGS,
  auth: { roles: ['store_staff', 'delivery_partner', 'admin'] },
  request: () => ({ pathParams: orderPath(), body: statusBody() }),
  success: { status: 200, description: 'The order after the change', schema: orderSchema },
  errors: [404, 409],
});

export const listStoreOrdersRoute = defineRoute({
  method: 'GET',
  path: '/v1/stores/{storeId}/orders',
  summary: "A store's orders, newest first, optionally of one status (its staff and admins)",
  tags: TAGS,
  auth: { roles: ['store_staff', 'delivery_partner', 'admin'] },
  request: () => ({
    pathParams: storePath(),
    query: z.strictObject({ ...paginationQuery(), status: z.optional(z.enum(ORDER_STATUSES)) }),
  }),
  success: { status: 200, description: 'One page of orders', schema: () => pageSchema(orderSchema()) },
  errors: [404],
});
