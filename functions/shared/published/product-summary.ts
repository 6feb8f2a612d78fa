/**
 * The product summary clients get from the catalogue's listings and from search results alike (search
 * shows the catalogue's summaries): one response shape for both, with the availability at the caller's
 * store (`quantity` only when low). Response schemas are builders (ResponseSchema in ../http/route.ts):
 * only the OpenAPI generator builds them.
 */
import * as z from 'zod/mini';

export const availabilitySchema = () =>
  z.object({
    storeId: z.string(),
    status: z.enum(['in_stock', 'low_stock', 'out_of_stock']),
    quantity: z.optional(z.number().check(z.int())),
  });

export const productSummarySchema = () =>
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    brand: z.optional(z.string()),
    categoryId: z.string(),
    unit: z.string(),
    pricePaise: z.number().check(z.int()),
    mrpPaise: z.number().check(z.int()),
    currency: z.literal('INR'),
    imageKey: z.optional(z.string()),
    availability: z.optional(availabilitySchema()),
  });
