/**
 * HTTP contracts of the catalogue's admin writes: categories, products, image upload URLs and the cache
 * warm-up, with strict zod schemas for everything a request carries (unknown fields are a 400). The public
 * reads and the response schemas are in contracts.ts.
 */
import * as z from 'zod/mini';
import { defineRoute } from '#shared/http/route';
import { presignedUploadSchema } from '#shared/http/upload-url';
import { DEFAULT_MAX_PER_ORDER } from '#shared/published/catalog-items';
import { categorySchema, categoryIdPath, productIdPath, productSchema, ulidSchema } from './contracts';
import {
  CURRENCY,
  IMAGE_KEYS_MAX,
  NAME_MAX,
  PRICE_MAX_PAISE,
  SKU_PATTERN,
  SLUG_MAX,
  SLUG_PATTERN,
  TAGS_MAX,
  isValidUnit,
} from './domain';

// --- field schemas -----------------------------------------------------------------------------------------

export const slugSchema = () =>
  z
    .string()
    .check(
      z.maxLength(SLUG_MAX),
      z.regex(SLUG_PATTERN, 'Lower-case letters and digits, words joined by single hyphens'),
    );
const LINE_FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
const MULTILINE_FORBIDDEN = /\p{Cs}|(?![\t\n\r])\p{Cc}/u;
/**
 * Free text as people type it: trimmed, at most `max` characters (code points, so emoji count once), and
 * well-formed Unicode without control characters. A lone surrogate cannot be stored as UTF-8, and control
 * characters (NUL, ESC, ...) only break the apps, logs and search index that show the text; one-line text
 * refuses line breaks too.
 */
const text = (max: number, { multiline = false } = {}) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((value) => !(multiline ? MULTILINE_FORBIDDEN : LINE_FORBIDDEN).test(value), {
      message: multiline
        ? 'Control characters (other than line breaks and tabs) and unpaired surrogates are not allowed'
        : 'Line breaks, control characters and unpaired surrogates are not allowed',
    }),
  );

export const nameSchema = text(NAME_MAX);
const categoryDescription = text(2000, { multiline: true });
const imageUrl = () => z.url({ protocol: /^https$/ }).check(z.maxLength(2048));
const sortOrder = () => z.number().check(z.int(), z.gte(0), z.lte(1_000_000));

export const skuSchema = () =>
  z.string().check(z.regex(SKU_PATTERN, '3 to 32 upper-case letters, digits or hyphens'));
const brand = text(80);
const productDescription = text(4000, { multiline: true });
export const unitSchema = () =>
  z
    .string()
    .check(
      z.maxLength(32),
      z.refine(
        isValidUnit,
        'A positive quantity and a unit, e.g. "500 g", "1 kg", "1 L", "250 ml", "6 pcs", "1 pack"',
      ),
    );
export const paiseSchema = () => z.number().check(z.int(), z.positive(), z.lte(PRICE_MAX_PAISE));
const unique = (values: readonly string[]) => new Set(values).size === values.length;
export const imageKeySchema = () =>
  z
    .string()
    .check(
      z.regex(
        /^products\/[0-9A-HJKMNP-TV-Z]{26}\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/,
        'A key from an image upload URL',
      ),
    );
const imageKeys = () =>
  z.array(imageKeySchema()).check(z.maxLength(IMAGE_KEYS_MAX), z.refine(unique, 'Image keys must be unique'));
const tags = () =>
  z
    .array(
      z.string().check(z.maxLength(40), z.regex(SLUG_PATTERN, 'Tags are lower-case words joined by hyphens')),
    )
    .check(z.maxLength(TAGS_MAX), z.refine(unique, 'Tags must be unique'));

const atLeastOneField = [
  (v: object) => Object.keys(v).length > 0,
  'Send at least one field to change',
] as const;

// --- request schemas ---------------------------------------------------------------------------------------

export const createCategoryBody = () =>
  z.strictObject({
    name: nameSchema,
    slug: slugSchema(),
    parentId: z.optional(ulidSchema()),
    description: z.optional(categoryDescription),
    imageUrl: z.optional(imageUrl()),
    sortOrder: z._default(sortOrder(), 0),
  });
export type CreateCategoryInput = z.infer<ReturnType<typeof createCategoryBody>>;

/** `null` clears an optional field; `parentId: null` makes the category top-level. */
export const updateCategoryBody = () =>
  z
    .strictObject({
      name: z.optional(nameSchema),
      slug: z.optional(slugSchema()),
      parentId: z.optional(z.nullable(ulidSchema())),
      description: z.optional(z.nullable(categoryDescription)),
      imageUrl: z.optional(z.nullable(imageUrl())),
      sortOrder: z.optional(sortOrder()),
    })
    .check(z.refine(...atLeastOneField));
export type UpdateCategoryInput = z.infer<ReturnType<typeof updateCategoryBody>>;

/** Units of one product a cart line or order may hold: a quick-commerce basket, not a wholesale order. */
export const MAX_PER_ORDER_LIMIT = 100;
const maxPerOrderSchema = () => z.number().check(z.int(), z.gte(1), z.lte(MAX_PER_ORDER_LIMIT));

export const createProductBody = () =>
  z
    .strictObject({
      sku: skuSchema(),
      name: nameSchema,
      slug: slugSchema(),
      categoryId: ulidSchema(),
      brand: z.optional(brand),
      description: z.optional(productDescription),
      unit: unitSchema(),
      pricePaise: paiseSchema(),
      mrpPaise: paiseSchema(),
      currency: z._default(z.literal(CURRENCY), CURRENCY),
      imageKeys: z._default(imageKeys(), []),
      tags: z._default(tags(), []),
      isActive: z._default(z.boolean(), true),
      maxPerOrder: z._default(maxPerOrderSchema(), DEFAULT_MAX_PER_ORDER),
    })
    .check(
      z.refine((v) => !(v.mrpPaise < v.pricePaise), {
        path: ['mrpPaise'],
        message: 'The MRP may not be lower than the selling price',
      }),
    );
export type CreateProductInput = z.infer<ReturnType<typeof createProductBody>>;

/** `null` clears brand or description. Price rules are checked against the merged product. */
export const updateProductBody = () =>
  z
    .strictObject({
      sku: z.optional(skuSchema()),
      name: z.optional(nameSchema),
      slug: z.optional(slugSchema()),
      categoryId: z.optional(ulidSchema()),
      brand: z.optional(z.nullable(brand)),
      description: z.optional(z.nullable(productDescription)),
      unit: z.optional(unitSchema()),
      pricePaise: z.optional(paiseSchema()),
      mrpPaise: z.optional(paiseSchema()),
      currency: z.optional(z.literal(CURRENCY)),
      imageKeys: z.optional(imageKeys()),
      tags: z.optional(tags()),
      isActive: z.optional(z.boolean()),
      maxPerOrder: z.optional(maxPerOrderSchema()),
    })
    .check(z.refine(...atLeastOneField));
export type UpdateProductInput = z.infer<ReturnType<typeof updateProductBody>>;

export const IMAGE_CONTENT_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const imageUploadBody = () =>
  z.strictObject({
    contentType: z.enum(Object.keys(IMAGE_CONTENT_TYPES) as [keyof typeof IMAGE_CONTENT_TYPES]),
    contentLength: z.number().check(z.int(), z.positive(), z.lte(IMAGE_MAX_BYTES)),
  });
export type ImageUploadInput = z.infer<ReturnType<typeof imageUploadBody>>;

// --- response schemas --------------------------------------------------------------------------------------

// --- routes ------------------------------------------------------------------------------------------------

const ADMIN = { roles: ['admin'] } as const;
const ADMIN_TAGS = ['Catalog admin'];

export const createCategoryRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/categories',
  summary: 'Create a top-level category, or a subcategory of a top-level category',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ body: createCategoryBody() }),
  success: { status: 201, description: 'The new category', schema: categorySchema },
  errors: [404, 409],
});

export const updateCategoryRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/admin/categories/{categoryId}',
  summary: 'Change some fields of a category (parentId: null makes it top-level)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: categoryIdPath(), body: updateCategoryBody() }),
  success: { status: 200, description: 'The updated category', schema: categorySchema },
  errors: [404, 409],
});

export const deleteCategoryRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/admin/categories/{categoryId}',
  summary: 'Delete a category that has no subcategories and no products',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: categoryIdPath() }),
  success: { status: 204, description: 'Deleted' },
  errors: [404, 409],
});

export const createProductRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/products',
  summary: 'Create a product in an existing category',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ body: createProductBody() }),
  success: { status: 201, description: 'The new product', schema: productSchema },
  errors: [404, 409],
});

export const updateProductRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/admin/products/{productId}',
  summary: 'Change some fields of a product (brand/description: null clears them)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: productIdPath(), body: updateProductBody() }),
  success: { status: 200, description: 'The updated product', schema: productSchema },
  errors: [404, 409],
});

export const deleteProductRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/admin/products/{productId}',
  summary: 'Delete a product',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: productIdPath() }),
  success: { status: 204, description: 'Deleted' },
  errors: [404, 409],
});

export const createImageUploadUrlRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/products/{productId}/image-upload-url',
  summary:
    'A pre-signed S3 PUT URL for one product image (JPEG, PNG or WebP, at most 5 MiB, valid 5 minutes)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ pathParams: productIdPath(), body: imageUploadBody() }),
  success: { status: 201, description: 'Where and how to upload the image', schema: presignedUploadSchema },
  errors: [404],
});

export const WARM_UP_MAX_PRODUCTS = 2000;
export const warmCacheBody = () =>
  z.optional(
    z.strictObject({
      topProducts: z.optional(z.number().check(z.int(), z.gte(0), z.lte(WARM_UP_MAX_PRODUCTS))),
    }),
  );
export type WarmCacheInput = z.infer<ReturnType<typeof warmCacheBody>>;

export const warmUpResultSchema = () =>
  z.object({
    /** False when the function has no cache (the stage turned it off): nothing was loaded. */
    cacheEnabled: z.boolean(),
    warmed: z.object({
      tree: z.number().check(z.int(), z.gte(0)),
      listings: z.number().check(z.int(), z.gte(0)),
      products: z.number().check(z.int(), z.gte(0)),
      /** Stock lines (store × top product) stored for the product pages of every serving store. */
      stock: z.number().check(z.int(), z.gte(0)),
    }),
    tookMs: z.number().check(z.int(), z.gte(0)),
  });

export const warmCacheRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/cache/warm',
  summary:
    'Load the category tree, the first page of every category listing and the top products into the cache ' +
    '(the same warm-up the schedule runs before peaks)',
  tags: ADMIN_TAGS,
  auth: ADMIN,
  request: () => ({ body: warmCacheBody() }),
  success: { status: 202, description: 'What was warmed, per kind', schema: warmUpResultSchema },
});
