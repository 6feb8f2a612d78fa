/** HTTP contracts of the cart service: the caller's own cart (customers only; nobody reads another's). */
import * as z from 'zod/mini';
import { defineRoute } from '#shared/http/route';
import { ULID_PATTERN } from './domain';

const productPath = () =>
  z.strictObject({
    productId: z
      .string()
      .check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)')),
  });

/** The upper bound is the product's own per-order maximum, checked by the use case. */
export const setItemBody = () =>
  z.strictObject({
    quantity: z.number().check(z.int(), z.gte(1), z.lte(1000)),
  });

const lineView = () =>
  z.object({
    productId: z.string(),
    name: z.nullable(z.string()),
    unit: z.nullable(z.string()),
    quantity: z.number().check(z.int()),
    unitPricePaise: z.nullable(z.number().check(z.int())),
    addedPricePaise: z.number().check(z.int()),
    linePaise: z.number().check(z.int()),
    priceChanged: z.boolean(),
    stock: z.enum(['available', 'short', 'out_of_stock', 'unavailable', 'unknown']),
    available: z.nullable(z.number().check(z.int())),
    maxPerOrder: z.nullable(z.number().check(z.int())),
  });

export const cartViewSchema = () =>
  z.object({
    storeId: z.nullable(z.string()),
    lines: z.array(lineView()),
    itemCount: z.number().check(z.int()),
    subtotalPaise: z.number().check(z.int()),
    deliveryFeePaise: z.number().check(z.int()),
    totalPaise: z.number().check(z.int()),
    currency: z.literal('INR'),
    version: z.number().check(z.int()),
    updatedAt: z.nullable(z.string()),
    expiresAt: z.nullable(z.string()),
  });

const AUTH = { roles: ['customer'] } as const;
const TAGS = ['Cart'];

export const getCartRoute = defineRoute({
  method: 'GET',
  path: '/v1/cart',
  summary:
    "The caller's cart with current prices, availability at the saved location's store, flags and totals",
  tags: TAGS,
  auth: AUTH,
  request: () => ({ query: z.strictObject({}) }),
  success: {
    status: 200,
    description: 'The cart (empty when there is none or it expired)',
    schema: cartViewSchema,
  },
});

export const setCartItemRoute = defineRoute({
  method: 'PUT',
  path: '/v1/cart/items/{productId}',
  summary: 'Puts a product in the cart with this quantity (1 to its per-order maximum; at most 50 lines)',
  tags: TAGS,
  auth: AUTH,
  request: () => ({ pathParams: productPath(), body: setItemBody() }),
  success: { status: 200, description: 'The cart after the change', schema: cartViewSchema },
  errors: [404, 409],
});

export const removeCartItemRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/cart/items/{productId}',
  summary: 'Removes a product from the cart (nothing to remove is not an error)',
  tags: TAGS,
  auth: AUTH,
  request: () => ({ pathParams: productPath() }),
  success: { status: 200, description: 'The cart after the change', schema: cartViewSchema },
  errors: [409],
});

export const clearCartRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/cart',
  summary: 'Empties the cart',
  tags: TAGS,
  auth: AUTH,
  success: { status: 204, description: 'The cart is empty' },
});
