/**
 * In-memory catalogue repository with the same guarantees as the DynamoDB one: each write re-checks what
 * the use case read (uniqueness, existence, parent, counters, version) and either applies completely or
 * throws the same domain error. `beforeNextWrite` lets a test play a concurrent request in between.
 */
import {
  catalogErrors,
  comparePositions,
  isTopLevel,
  positionOf,
  rootOf,
  type Category,
  type Product,
  type ProductPosition,
} from '../../../functions/catalog/domain';
import { passThroughCache } from '../../../functions/shared/cache/port';
import type {
  CatalogDeps,
  CatalogRepository,
  ImageUploadSigner,
  ProductPage,
} from '../../../functions/catalog/ports';

export class FakeCatalogRepository implements CatalogRepository {
  readonly categories = new Map<string, Category>();
  readonly products = new Map<string, Product>();
  readonly categorySlugs = new Map<string, string>();
  readonly productSlugs = new Map<string, string>();
  readonly skus = new Map<string, string>();
  /** Successful writes, to prove a refused request wrote nothing. */
  writes = 0;
  beforeNextWrite: (() => void) | undefined;

  private race(): void {
    const hook = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    hook?.();
  }

  /** Test helper: stores a category as if created earlier (slug claimed, parent counted). */
  seedCategory(category: Category): Category {
    this.categories.set(category.id, category);
    this.categorySlugs.set(category.slug, category.id);
    if (category.parentId) this.bump(category.parentId, { childCount: 1 });
    return category;
  }

  seedProduct(product: Product): Product {
    this.products.set(product.id, product);
    this.productSlugs.set(product.slug, product.id);
    this.skus.set(product.sku, product.id);
    this.bump(product.categoryId, { productCount: 1, activeProductCount: product.isActive ? 1 : 0 });
    return product;
  }

  private bump(
    id: string,
    deltas: Partial<Pick<Category, 'productCount' | 'activeProductCount' | 'childCount'>>,
  ) {
    const c = this.categories.get(id);
    if (!c) throw new Error(`fake: no category ${id}`);
    this.categories.set(id, {
      ...c,
      productCount: c.productCount + (deltas.productCount ?? 0),
      activeProductCount: c.activeProductCount + (deltas.activeProductCount ?? 0),
      childCount: c.childCount + (deltas.childCount ?? 0),
    });
  }

  private requireTopLevelParent(parentId: string): void {
    const parent = this.categories.get(parentId);
    if (!parent) throw catalogErrors.categoryNotFound(parentId, 'parentId');
    if (parent.parentId) throw catalogErrors.parentChanged();
  }

  private requireSameCategory(category: Category): void {
    const current = this.categories.get(category.id);
    if (!current) throw catalogErrors.categoryNotFound(category.id, 'categoryId');
    if (current.parentId !== category.parentId) throw catalogErrors.concurrentChange();
  }

  async listCategories(): Promise<Category[]> {
    return [...this.categories.values()];
  }

  async getCategory(id: string): Promise<Category | undefined> {
    return this.categories.get(id);
  }

  async createCategory(category: Category, parent?: Category): Promise<void> {
    this.race();
    if (this.categorySlugs.has(category.slug)) throw catalogErrors.categorySlugTaken(category.slug);
    if (parent) this.requireTopLevelParent(parent.id);
    this.seedCategory(category);
    this.writes++;
  }

  async updateCategory(before: Category, after: Category): Promise<void> {
    this.race();
    const current = this.categories.get(before.id);
    if (!current) throw catalogErrors.categoryNotFound(before.id);
    const moved = before.parentId !== after.parentId;
    if (moved && current.productCount > 0) throw catalogErrors.hasProductsCannotMove(before.id);
    if (moved && current.childCount > 0) throw catalogErrors.hasChildrenCannotMove(before.id);
    if (current.version !== before.version) throw catalogErrors.concurrentChange();
    const owner = this.categorySlugs.get(after.slug);
    if (owner !== undefined && owner !== before.id) throw catalogErrors.categorySlugTaken(after.slug);
    if (moved && after.parentId) this.requireTopLevelParent(after.parentId);

    this.categorySlugs.delete(before.slug);
    this.categorySlugs.set(after.slug, after.id);
    // Counters are not part of the edit: keep the stored ones.
    this.categories.set(after.id, {
      ...after,
      productCount: current.productCount,
      activeProductCount: current.activeProductCount,
      childCount: current.childCount,
    });
    if (moved && before.parentId) this.bump(before.parentId, { childCount: -1 });
    if (moved && after.parentId) this.bump(after.parentId, { childCount: 1 });
    this.writes++;
  }

  async deleteCategory(category: Category): Promise<void> {
    this.race();
    const current = this.categories.get(category.id);
    if (!current) throw catalogErrors.categoryNotFound(category.id);
    if (current.childCount > 0) throw catalogErrors.hasChildren(category.id);
    if (current.productCount > 0) throw catalogErrors.hasProducts(category.id);
    if (current.version !== category.version) throw catalogErrors.concurrentChange();
    this.categories.delete(category.id);
    this.categorySlugs.delete(category.slug);
    if (category.parentId) this.bump(category.parentId, { childCount: -1 });
    this.writes++;
  }

  async getProduct(id: string): Promise<Product | undefined> {
    return this.products.get(id);
  }

  async createProduct(product: Product, category: Category): Promise<void> {
    this.race();
    if (this.productSlugs.has(product.slug)) throw catalogErrors.productSlugTaken(product.slug);
    if (this.skus.has(product.sku)) throw catalogErrors.skuTaken(product.sku);
    this.requireSameCategory(category);
    this.seedProduct(product);
    this.writes++;
  }

  async updateProduct(
    before: Product,
    after: Product,
    categories: { readonly before: Category; readonly after: Category },
  ): Promise<void> {
    this.race();
    const current = this.products.get(before.id);
    if (!current) throw catalogErrors.productNotFound(before.id);
    if (current.version !== before.version) throw catalogErrors.concurrentChange();
    const slugOwner = this.productSlugs.get(after.slug);
    if (slugOwner !== undefined && slugOwner !== before.id) throw catalogErrors.productSlugTaken(after.slug);
    const skuOwner = this.skus.get(after.sku);
    if (skuOwner !== undefined && skuOwner !== before.id) throw catalogErrors.skuTaken(after.sku);
    if (after.categoryId !== before.categoryId || after.isActive !== before.isActive)
      this.requireSameCategory(categories.after);

    const active = (p: Product) => (p.isActive ? 1 : 0);
    this.productSlugs.delete(before.slug);
    this.skus.delete(before.sku);
    this.productSlugs.set(after.slug, after.id);
    this.skus.set(after.sku, after.id);
    this.products.set(after.id, after);
    this.bump(before.categoryId, { productCount: -1, activeProductCount: -active(before) });
    this.bump(after.categoryId, { productCount: 1, activeProductCount: active(after) });
    this.writes++;
  }

  async deleteProduct(product: Product): Promise<void> {
    this.race();
    const current = this.products.get(product.id);
    if (!current) throw catalogErrors.productNotFound(product.id);
    if (current.version !== product.version) throw catalogErrors.concurrentChange();
    this.products.delete(product.id);
    this.productSlugs.delete(product.slug);
    this.skus.delete(product.sku);
    this.bump(product.categoryId, { productCount: -1, activeProductCount: product.isActive ? -1 : 0 });
    this.writes++;
  }

  async listActiveProducts(
    category: Category,
    page: { readonly limit: number; readonly after?: ProductPosition },
  ): Promise<ProductPage> {
    const listed = [...this.products.values()]
      .filter((p) => p.isActive)
      .filter((p) => {
        const own = this.categories.get(p.categoryId);
        return isTopLevel(category)
          ? own !== undefined && rootOf(own) === category.id
          : p.categoryId === category.id;
      })
      .sort((a, b) => comparePositions(positionOf(a), positionOf(b)))
      .filter((p) => !page.after || comparePositions(positionOf(p), page.after) > 0);
    const items = listed.slice(0, page.limit);
    const last = items[items.length - 1];
    return listed.length > page.limit && last ? { items, next: positionOf(last) } : { items };
  }
}

export class FakeSigner implements ImageUploadSigner {
  readonly requests: Parameters<ImageUploadSigner['presignPut']>[0][] = [];
  async presignPut(request: Parameters<ImageUploadSigner['presignPut']>[0]): Promise<string> {
    this.requests.push(request);
    return `https://bucket.example/${request.key}?signed`;
  }
}

/** Deterministic ids (valid ULIDs) and clock. */
export function fakeDeps(
  repository = new FakeCatalogRepository(),
): CatalogDeps & { repository: FakeCatalogRepository } {
  let n = 0;
  return {
    repository,
    cache: passThroughCache,
    now: () => '2025-01-02T03:04:05.000Z',
    newId: () => testId(++n),
  };
}

/** A valid ULID from a number, distinct per number. */
export const testId = (n: number, prefix = '01J0000000'): string => `${prefix}${String(n).padStart(16, '0')}`;

let seq = 1000;
export function aCategory(overrides: Partial<Category> = {}): Category {
  const id = overrides.id ?? testId(++seq, '01JCAT0000');
  return {
    id,
    slug: `category-${seq}`,
    name: `Category ${seq}`,
    sortOrder: 0,
    productCount: 0,
    activeProductCount: 0,
    childCount: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function aProduct(categoryId: string, overrides: Partial<Product> = {}): Product {
  const id = overrides.id ?? testId(++seq, '01JPRD0000');
  return {
    id,
    sku: `SKU-${seq}`,
    slug: `product-${seq}`,
    name: `Product ${seq}`,
    categoryId,
    unit: '500 g',
    pricePaise: 4500,
    mrpPaise: 5000,
    currency: 'INR',
    imageKeys: [],
    tags: [],
    isActive: true,
    maxPerOrder: 10,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
