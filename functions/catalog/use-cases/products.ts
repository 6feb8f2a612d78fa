/** Product use cases: price rules, category references, public visibility and category listings. */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { CreateProductInput, UpdateProductInput } from '../admin-contracts';
import { patched, ulidSchema } from '../contracts';
import {
  SORT_NAME_PATTERN,
  catalogErrors,
  changesNothing,
  imageKeyErrors,
  pricingErrors,
  type Category,
  type Product,
} from '../domain';
import { listingEntry, productChangeInvalidation, productEntry } from '../cache-keys';
import type { CatalogDeps } from '../ports';
import { once } from '#shared/once';

type Deps = Pick<CatalogDeps, 'repository' | 'cache'>;

export async function createProduct(deps: CatalogDeps, input: CreateProductInput): Promise<Product> {
  const id = deps.newId();
  const problems = [
    ...pricingErrors(input.pricePaise, input.mrpPaise),
    ...imageKeyErrors(id, input.imageKeys),
  ];
  if (problems.length > 0) throw catalogErrors.invalid(problems);
  const category = await deps.repository.getCategory(input.categoryId);
  if (!category) throw catalogErrors.categoryNotFound(input.categoryId, 'categoryId');

  const now = deps.now();
  const product: Product = {
    id,
    sku: input.sku,
    slug: input.slug,
    name: input.name,
    brand: input.brand,
    description: input.description,
    categoryId: category.id,
    unit: input.unit,
    pricePaise: input.pricePaise,
    mrpPaise: input.mrpPaise,
    currency: input.currency,
    imageKeys: input.imageKeys,
    tags: input.tags,
    isActive: input.isActive,
    maxPerOrder: input.maxPerOrder,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.repository.createProduct(product, category);
  await deps.cache.invalidate(productChangeInvalidation({ after: product, categories: [category] }));
  return product;
}

export async function updateProduct(
  deps: CatalogDeps,
  productId: string,
  patch: UpdateProductInput,
): Promise<Product> {
  const before = await deps.repository.getProduct(productId);
  if (!before) throw catalogErrors.productNotFound(productId);

  const after: Product = {
    ...before,
    sku: patch.sku ?? before.sku,
    slug: patch.slug ?? before.slug,
    name: patch.name ?? before.name,
    brand: patched(patch.brand, before.brand),
    description: patched(patch.description, before.description),
    categoryId: patch.categoryId ?? before.categoryId,
    unit: patch.unit ?? before.unit,
    pricePaise: patch.pricePaise ?? before.pricePaise,
    mrpPaise: patch.mrpPaise ?? before.mrpPaise,
    currency: patch.currency ?? before.currency,
    imageKeys: patch.imageKeys ?? before.imageKeys,
    tags: patch.tags ?? before.tags,
    isActive: patch.isActive ?? before.isActive,
    maxPerOrder: patch.maxPerOrder ?? before.maxPerOrder,
    updatedAt: deps.now(),
    version: before.version + 1,
  };
  // The merged product must satisfy the price rule; blame the field the caller sent.
  const priceProblems = pricingErrors(after.pricePaise, after.mrpPaise).map((e) =>
    patch.mrpPaise === undefined
      ? { ...e, field: 'pricePaise', message: 'The selling price may not exceed the MRP' }
      : e,
  );
  // Keys already stored stay as they are; the ones sent must be this product's uploads.
  const problems = [...priceProblems, ...imageKeyErrors(productId, patch.imageKeys ?? [])];
  if (problems.length > 0) throw catalogErrors.invalid(problems);
  if (changesNothing(before, after)) return before;

  // A category with products cannot be deleted, so the current one exists unless something raced us.
  const categoryBefore = await deps.repository.getCategory(before.categoryId);
  if (!categoryBefore) throw catalogErrors.concurrentChange();
  let categoryAfter: Category | undefined = categoryBefore;
  if (after.categoryId !== before.categoryId) {
    categoryAfter = await deps.repository.getCategory(after.categoryId);
    if (!categoryAfter) throw catalogErrors.categoryNotFound(after.categoryId, 'categoryId');
  }
  await deps.repository.updateProduct(before, after, { before: categoryBefore, after: categoryAfter });
  await deps.cache.invalidate(
    productChangeInvalidation({ before, after, categories: [categoryBefore, categoryAfter] }),
  );
  return after;
}

export async function deleteProduct({ repository, cache }: Deps, productId: string): Promise<void> {
  const product = await repository.getProduct(productId);
  if (!product) throw catalogErrors.productNotFound(productId);
  // Its category cannot be deleted while it holds the product; read it for the parent's listing.
  const category = await repository.getCategory(product.categoryId);
  await repository.deleteProduct(product);
  await cache.invalidate(productChangeInvalidation({ before: product, categories: [category] }));
}

/** Inactive products do not exist for the public. */
export async function getPublicProduct({ repository, cache }: Deps, productId: string): Promise<Product> {
  // Unknown ids are cached too (as null), so a burst of requests for one does not reach DynamoDB.
  const product = await cache.getOrLoad(
    productEntry(productId),
    async () => (await repository.getProduct(productId)) ?? null,
  );
  if (!product || !product.isActive) throw catalogErrors.productNotFound(productId);
  return product;
}

/** What a listing cursor carries: the position of the last product of the page, nothing about storage. */
const positionSchema = once(() =>
  z.strictObject({ n: z.string().check(z.regex(SORT_NAME_PATTERN)), id: ulidSchema() }),
);
const cursorScope = (categoryId: string) => `category-products:${categoryId}`;

export interface ProductListing {
  readonly items: readonly Product[];
  readonly nextCursor: string | null;
}

/**
 * One page of a category's active products in (name, id) order. The cursor is a keyset position (the
 * sortName and id of the last product shown), not an offset or a storage key, which gives a walk through
 * the pages these guarantees however the category changes meanwhile:
 * - a product listed, unchanged, from the first request to the last is returned exactly once, and the
 *   positions returned only ever increase;
 * - a product added (or reactivated, or moved in) meanwhile is returned iff its position is after the
 *   cursor; one deleted (or deactivated, or moved out) is not returned from then on;
 * - a product renamed meanwhile is at its new position: it may be returned twice or not at all;
 * - the product a cursor points at may be renamed, deactivated or deleted: the cursor stays valid;
 * - a cursor of another category is a 400; the cursor of a category deleted since is a 404.
 */
export async function listCategoryProducts(
  { repository, cache }: Deps,
  request: { readonly categoryId: string; readonly limit: number; readonly cursor?: string },
): Promise<ProductListing> {
  // A cursor from another category's listing (or an edited one) is refused before anything is read.
  const position = decodeCursor(request.cursor, cursorScope(request.categoryId), positionSchema);
  // A missing category throws inside the load, so a 404 is never cached.
  return cache.getOrLoad(listingEntry(request.categoryId, request.limit, request.cursor), () =>
    loadListing(repository, request, position),
  );
}

export async function loadListing(
  repository: Deps['repository'],
  request: { readonly categoryId: string; readonly limit: number },
  position: z.infer<ReturnType<typeof positionSchema>> | undefined,
): Promise<ProductListing> {
  const category = await repository.getCategory(request.categoryId);
  if (!category) throw catalogErrors.categoryNotFound(request.categoryId);
  const page = await repository.listActiveProducts(category, {
    limit: request.limit,
    after: position && { sortName: position.n, id: position.id },
  });
  return {
    items: page.items,
    nextCursor: page.next
      ? encodeCursor({ n: page.next.sortName, id: page.next.id }, cursorScope(request.categoryId))
      : null,
  };
}
