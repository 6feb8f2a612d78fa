/**
 * The seeded catalogue (local/seed/catalog-data.ts) as the search service sees it: the published product and
 * category shapes, built through the catalogue's own item mappers, for tests that index it without DynamoDB.
 */
import { categoryItem, productItem } from '../../functions/catalog/adapters/items';
import {
  catalogCategoryFromItem,
  catalogProductFromItem,
  type CatalogCategory,
  type CatalogProduct,
} from '../../functions/shared/published/catalog-items';
import { catalogSeedData } from '../../local/seed/catalog-data';

export function seededCatalogue(count = 2000): {
  readonly categories: Map<string, CatalogCategory>;
  readonly products: CatalogProduct[];
} {
  const seed = catalogSeedData(count);
  const byId = new Map(seed.categories.map((c) => [c.id, c]));
  return {
    categories: new Map(seed.categories.map((c) => [c.id, catalogCategoryFromItem(categoryItem(c))])),
    products: seed.products.map((p) => catalogProductFromItem(productItem(p, byId.get(p.categoryId)!))),
  };
}
