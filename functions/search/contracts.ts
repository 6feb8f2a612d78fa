/**
 * HTTP contracts of the search service. Query parameters are strict (an unknown one is a 400); `q` is free
 * text, bounded, and never query syntax (domain.normaliseQuery); prices are paise, like every price in the API.
 */
import * as z from 'zod/mini';
import { DEFAULT_PAGE_LIMIT } from '#shared/http/cursor';
import { defineRoute } from '#shared/http/route';
import { productSummarySchema } from '#shared/published/product-summary';
import { MAX_PRICE_PAISE, QUERY_MAX_INPUT, SORTS, SUGGEST_MAX } from './domain';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ulid = () =>
  z.string().check(z.regex(ULID, 'Must be a ULID (26 upper-case Crockford base32 characters)'));
const NO_CONTROL = /[\p{Cc}\p{Cs}]/u;
const freeText = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((v) => !NO_CONTROL.test(v), 'Control characters and unpaired surrogates are not allowed'),
  );
const paise = () =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, 'Expected a whole number of paise')), z.transform(Number)),
    z.number().check(z.int(), z.gte(0), z.lte(MAX_PRICE_PAISE)),
  );
const limit = () =>
  z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'Expected a whole number from 1 to 100')),
        z.transform(Number),
      ),
      z.number().check(z.int(), z.gte(1), z.lte(100)),
    ),
    DEFAULT_PAGE_LIMIT,
  );
const booleanFlag = () =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((v) => v === 'true'),
  );

export const searchQuery = () =>
  z
    .strictObject({
      q: z.optional(freeText(QUERY_MAX_INPUT)),
      categoryId: z.optional(ulid()),
      brand: z.optional(freeText(80)),
      minPrice: z.optional(paise()),
      maxPrice: z.optional(paise()),
      inStock: z.optional(booleanFlag()),
      sort: z._default(z.enum(SORTS), 'relevance'),
      limit: limit(),
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
      storeId: z.optional(ulid()),
    })
    .check(
      z.refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
        message: 'minPrice may not exceed maxPrice',
        path: ['minPrice'],
      }),
    );
export type SearchRequest = z.infer<ReturnType<typeof searchQuery>>;

export const suggestQuery = () => z.strictObject({ q: z.optional(freeText(QUERY_MAX_INPUT)) });

/** A hit is the catalogue's product summary, with availability at the store. */
export const searchItemSchema = productSummarySchema;

export const searchPageSchema = () => {
  const count = z.number().check(z.int());
  return z.object({
    items: z.array(searchItemSchema()),
    facets: z.object({
      categories: z.array(z.object({ id: z.string(), count })),
      brands: z.array(z.object({ value: z.string(), count })),
      priceBands: z.array(z.object({ fromPaise: count, toPaise: z.nullable(count), count })),
    }),
    total: count,
    nextCursor: z.nullable(z.string()),
  });
};

const DEGRADED =
  ' When the search engine is down or slow the answer is still 200, from the cache or from a simpler ' +
  'DynamoDB match (name prefix and category), with the response header `Zepto-Search-Degraded: true`.';

export const searchRoute = defineRoute({
  method: 'GET',
  path: '/v1/search',
  summary: 'Search active products: typo-tolerant full text with filters, facets and sorts',
  tags: ['Search'],
  auth: { public: true },
  request: () => ({ query: searchQuery() }),
  success: {
    status: 200,
    description:
      'One page of matches with facets over all matches. No `q` (or only punctuation) and no filter is an ' +
      'empty result; `categoryId` matches the category and its subcategories; `inStock=true` keeps products ' +
      "in stock at the caller's store (`storeId`, or the saved location's) and needs one; `total` counts the " +
      'matches before the stock filter.' +
      DEGRADED,
    schema: searchPageSchema,
  },
});

export const suggestRoute = defineRoute({
  method: 'GET',
  path: '/v1/search/suggest',
  summary: `Type-ahead: up to ${SUGGEST_MAX} product names starting with what was typed`,
  tags: ['Search'],
  auth: { public: true },
  request: () => ({ query: suggestQuery() }),
  success: {
    status: 200,
    description: 'Product names; the last word typed counts as a prefix.' + DEGRADED,
    schema: () => z.object({ suggestions: z.array(z.string()) }),
  },
});
