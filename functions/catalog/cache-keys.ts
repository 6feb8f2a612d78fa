/**
 * What the catalogue caches, under which keys and generations, and what each admin change invalidates.
 * Pure functions (no Redis), so the invalidation sets are unit-tested directly.
 *
 * - product:<id>                          one product (or null: unknown id), generation product:<id>
 * - tree                                  every category (the tree is built from it), generation tree
 * - listing:<categoryId>:<limit>:<page>   one page of a category's listing, generation listing:<categoryId>;
 *                                         replacing the generation invalidates every page and limit at once
 */
import { createHash } from 'node:crypto';
import type { CacheEntry, CacheInvalidation } from '#shared/cache/port';
import type { Category, Product } from './domain';

export const productEntry = (productId: string): CacheEntry => ({
  key: `product:${productId}`,
  kind: 'product',
  generation: `product:${productId}`,
});

export const treeEntry: CacheEntry = { key: 'tree', kind: 'tree', generation: 'tree' };

/** Cursors are long and client-supplied (already validated); the key holds a digest of them. */
export const listingEntry = (categoryId: string, limit: number, cursor?: string): CacheEntry => ({
  key: `listing:${categoryId}:${limit}:${cursor ? createHash('sha256').update(cursor).digest('base64url').slice(0, 22) : 'first'}`,
  kind: 'listing',
  generation: listingGeneration(categoryId),
});

const listingGeneration = (categoryId: string) => `listing:${categoryId}`;

/** A category's own listing and its parent's (a top-level listing shows its subcategories' products). */
const listingsOf = (categories: readonly (Category | undefined)[]): string[] =>
  categories.flatMap((c) =>
    c ? [listingGeneration(c.id), ...(c.parentId ? [listingGeneration(c.parentId)] : [])] : [],
  );

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * A product was created (`before` undefined), changed, or deleted (`after` undefined). `categories` are
 * the categories it was and is in. The tree shows active-product counts, so it is invalidated only when
 * a count can change: creation, deletion, (de)activation or a move to another category.
 */
export function productChangeInvalidation(change: {
  readonly before?: Product;
  readonly after?: Product;
  readonly categories: readonly (Category | undefined)[];
}): CacheInvalidation {
  const { before, after } = change;
  const id = (after ?? before)?.id;
  const countsMove =
    !before || !after || before.isActive !== after.isActive || before.categoryId !== after.categoryId;
  return {
    generations: unique([
      ...(id ? [productEntry(id).generation!] : []),
      ...listingsOf(change.categories),
      ...(countsMove ? [treeEntry.generation!] : []),
    ]),
  };
}

/** A category was created, changed (before and after) or deleted: the tree and the listings around it. */
export function categoryChangeInvalidation(categories: readonly (Category | undefined)[]): CacheInvalidation {
  return { generations: unique([treeEntry.generation!, ...listingsOf(categories)]) };
}
