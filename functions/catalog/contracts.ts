/**
 * HTTP contracts of the catalogue's public reads: the category tree, category listings and product detail,
 * with the field and response schemas the whole service shares. The admin writes and their request schemas
 * are in admin-contracts.ts, so the read functions, which take the most cold starts, do not build them at
 * init (docs/decisions/0010-lean-functions.md, follow-up of 2026-12-03).
 */
import * as z from 'zod/mini';
import { pageSchema, paginationQuery } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { availabilitySchema, productSummarySchema } from '#shared/published/product-summary';
import { CURRENCY, ULID_PATTERN } from './domain';

// --- field schemas -----------------------------------------------------------------------------------------

export const ulidSchema = () =>
  z.string().check(z.regex(ULID_PATTERN, 'Must be a ULID (26 upper-case Crockford base32 characters)'));

/** One optional field of an update body applied: `undefined` keeps the current value, `null` clears it. */
export const patched = <T>(value: T | null | undefined, current: T | undefined): T | undefined =>
  value === undefined ? current : (value ?? undefined);

// --- request schemas ---------------------------------------------------------------------------------------

export const categoryIdPath = () => z.strictObject({ categoryId: ulidSchema() });
export const productIdPath = () => z.strictObject({ productId: ulidSchema() });
/** `?storeId=`: show availability at this store (else at the caller's saved location's store, if any). */
export const storeQuery = () => ({ storeId: z.optional(ulidSchema()) });

// --- response schemas --------------------------------------------------------------------------------------
// Built only for the OpenAPI document (ResponseSchema in #shared/http/route), never by a function.

/** What every category response shows, in the tree and on its own. */
const categoryFields = () => ({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  imageUrl: z.optional(z.string()),
  sortOrder: z.number().check(z.int()),
});
const categoryNodeBase = () =>
  z.object({
    ...categoryFields(),
    /** Active products listed under the category (for a top-level one, its subcategories' included). */
    productCount: z.optional(z.number().check(z.int())),
  });
export const subcategoryNodeSchema = () =>
  z.extend(categoryNodeBase(), { children: z.array(z.unknown()).check(z.maxLength(0)) });
export const categoryNodeSchema = () =>
  z.extend(categoryNodeBase(), { children: z.array(subcategoryNodeSchema()) });
export const categoryTreeSchema = () => z.object({ items: z.array(categoryNodeSchema()) });

export const categorySchema = () =>
  z.object({
    ...categoryFields(),
    parentId: z.nullable(z.string()),
    productCount: z.number().check(z.int()),
    activeProductCount: z.number().check(z.int()),
    childCount: z.number().check(z.int()),
    createdAt: z.string(),
    updatedAt: z.string(),
  });

/** Listings show the product summary search shows too (#shared/published/product-summary). */
export { productSummarySchema };
export const productPageSchema = () => pageSchema(productSummarySchema());

export const productSchema = () =>
  z.object({
    id: z.string(),
    sku: z.string(),
    slug: z.string(),
    name: z.string(),
    brand: z.optional(z.string()),
    description: z.optional(z.string()),
    categoryId: z.string(),
    unit: z.string(),
    pricePaise: z.number().check(z.int()),
    mrpPaise: z.number().check(z.int()),
    currency: z.literal(CURRENCY),
    imageKeys: z.array(z.string()),
    tags: z.array(z.string()),
    isActive: z.boolean(),
    /** The most units of this product one cart line or order may hold. */
    maxPerOrder: z.number().check(z.int()),
    createdAt: z.string(),
    updatedAt: z.string(),
    availability: z.optional(availabilitySchema()),
  });

// --- routes ------------------------------------------------------------------------------------------------

const PUBLIC = { public: true } as const;
/** Public, and a signed-in caller's token (when sent) finds their saved location's store. */
const PUBLIC_IDENTIFIED = { public: true, identifiesCaller: true } as const;
const TAGS = ['Catalog'];

export const listCategoriesRoute = defineRoute({
  method: 'GET',
  path: '/v1/categories',
  summary: 'The category tree: top-level categories with their subcategories, by sortOrder then name',
  tags: TAGS,
  auth: PUBLIC,
  success: { status: 200, description: 'The category tree', schema: categoryTreeSchema },
});

export const listCategoryProductsRoute = defineRoute({
  method: 'GET',
  path: '/v1/categories/{categoryId}/products',
  summary: "Active products of a category (a top-level category lists its subcategories' products too)",
  tags: TAGS,
  auth: PUBLIC_IDENTIFIED,
  request: () => ({
    pathParams: categoryIdPath(),
    query: z.strictObject({ ...paginationQuery(), ...storeQuery() }),
  }),
  success: {
    status: 200,
    description:
      'One page of products, by name. The cursor is a position, not an offset: a product listed and unchanged ' +
      'throughout a walk through the pages is returned exactly once; one added, removed or renamed meanwhile ' +
      'is returned according to its position then (a renamed one possibly twice or not at all).',
    schema: productPageSchema,
  },
  errors: [404],
});

export const getProductRoute = defineRoute({
  method: 'GET',
  path: '/v1/products/{productId}',
  summary: "One active product, with its availability at the caller's store",
  tags: TAGS,
  auth: PUBLIC_IDENTIFIED,
  request: () => ({ pathParams: productIdPath(), query: z.strictObject(storeQuery()) }),
  success: { status: 200, description: 'The product', schema: productSchema },
  errors: [404],
});
