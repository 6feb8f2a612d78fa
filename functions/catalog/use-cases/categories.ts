/** Category use cases: the tree rules (two levels, no cycles) and what a change or delete requires. */
import type { CreateCategoryInput, UpdateCategoryInput } from '../admin-contracts';
import { patched } from '../contracts';
import { catalogErrors, changesNothing, isTopLevel, type Category } from '../domain';
import { categoryChangeInvalidation, treeEntry } from '../cache-keys';
import type { CatalogDeps } from '../ports';

type Deps = Pick<CatalogDeps, 'repository' | 'cache'>;

export async function listCategories({ repository, cache }: Deps): Promise<Category[]> {
  return cache.getOrLoad(treeEntry, () => repository.listCategories());
}

/** The parent of a new or moved category must exist and be top-level (no third level). */
async function requireTopLevelParent(
  { repository }: Pick<Deps, 'repository'>,
  parentId: string,
): Promise<Category> {
  const parent = await repository.getCategory(parentId);
  if (!parent) throw catalogErrors.categoryNotFound(parentId, 'parentId');
  if (!isTopLevel(parent)) throw catalogErrors.parentNotTopLevel(parentId);
  return parent;
}

export async function createCategory(deps: CatalogDeps, input: CreateCategoryInput): Promise<Category> {
  const parent = input.parentId === undefined ? undefined : await requireTopLevelParent(deps, input.parentId);
  const now = deps.now();
  const category: Category = {
    id: deps.newId(),
    slug: input.slug,
    name: input.name,
    description: input.description,
    imageUrl: input.imageUrl,
    sortOrder: input.sortOrder,
    parentId: parent?.id,
    productCount: 0,
    activeProductCount: 0,
    childCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.repository.createCategory(category, parent);
  await deps.cache.invalidate(categoryChangeInvalidation([category]));
  return category;
}

export async function updateCategory(
  deps: CatalogDeps,
  categoryId: string,
  patch: UpdateCategoryInput,
): Promise<Category> {
  if (patch.parentId === categoryId) throw catalogErrors.ownParent();
  const before = await deps.repository.getCategory(categoryId);
  if (!before) throw catalogErrors.categoryNotFound(categoryId);

  const parentId = patched(patch.parentId, before.parentId);
  if (parentId !== before.parentId) {
    if (parentId !== undefined) {
      await requireTopLevelParent(deps, parentId);
      // A category with children becoming a child would make a third level (or, under its own child, a cycle).
      if (before.childCount > 0) throw catalogErrors.hasChildrenCannotMove(categoryId);
    }
    // Products are listed under their top-level category; moving a category would have to move them all.
    if (before.productCount > 0) throw catalogErrors.hasProductsCannotMove(categoryId);
  }

  const after: Category = {
    ...before,
    name: patch.name ?? before.name,
    slug: patch.slug ?? before.slug,
    description: patched(patch.description, before.description),
    imageUrl: patched(patch.imageUrl, before.imageUrl),
    sortOrder: patch.sortOrder ?? before.sortOrder,
    parentId,
    updatedAt: deps.now(),
    version: before.version + 1,
  };
  if (changesNothing(before, after)) return before;
  await deps.repository.updateCategory(before, after);
  await deps.cache.invalidate(categoryChangeInvalidation([before, after]));
  return after;
}

export async function deleteCategory({ repository, cache }: Deps, categoryId: string): Promise<void> {
  const category = await repository.getCategory(categoryId);
  if (!category) throw catalogErrors.categoryNotFound(categoryId);
  if (category.childCount > 0) throw catalogErrors.hasChildren(categoryId);
  if (category.productCount > 0) throw catalogErrors.hasProducts(categoryId);
  await repository.deleteCategory(category);
  await cache.invalidate(categoryChangeInvalidation([category]));
}
