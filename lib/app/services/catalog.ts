/**
 * The catalogue service's functions: one per route (functions/catalog/contracts.ts), each with the
 * narrowest access to the Catalog table it needs. Admin writes read first (to apply the rules) and then
 * write in one transaction, so they need readWrite. Only the upload-URL function may put into the
 * ProductImages bucket (the pre-signed URL carries its permission). The two public product reads also read
 * the Inventory and CustomerLocations tables (availability at the caller's store, ADR 9).
 */
import {
  createCategoryRoute,
  createImageUploadUrlRoute,
  createProductRoute,
  deleteCategoryRoute,
  deleteProductRoute,
  getProductRoute,
  listCategoriesRoute,
  listCategoryProductsRoute,
  updateCategoryRoute,
  updateProductRoute,
} from '../../../functions/catalog/contracts';
import { defineHttpFunctions } from '../define-functions';

export const catalogFunctions = defineHttpFunctions('catalog', [
  {
    name: 'ListCategories',
    handler: 'list-categories',
    route: listCategoriesRoute,
    description: 'Public category tree',
    tables: { Catalog: 'read' },
  },
  {
    name: 'ListCategoryProducts',
    handler: 'list-category-products',
    route: listCategoryProductsRoute,
    description: 'Public, paginated active products of a category, with availability at a store',
    tables: { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' },
  },
  {
    name: 'GetProduct',
    handler: 'get-product',
    route: getProductRoute,
    description: 'Public product details, with availability at a store',
    tables: { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' },
  },
  {
    name: 'CreateCategory',
    handler: 'create-category',
    route: createCategoryRoute,
    description: 'Admin: creates a category or subcategory',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'UpdateCategory',
    handler: 'update-category',
    route: updateCategoryRoute,
    description: 'Admin: changes a category',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'DeleteCategory',
    handler: 'delete-category',
    route: deleteCategoryRoute,
    description: 'Admin: deletes an empty category',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'CreateProduct',
    handler: 'create-product',
    route: createProductRoute,
    description: 'Admin: creates a product',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'UpdateProduct',
    handler: 'update-product',
    route: updateProductRoute,
    description: 'Admin: changes a product',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'DeleteProduct',
    handler: 'delete-product',
    route: deleteProductRoute,
    description: 'Admin: deletes a product',
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'CreateProductImageUploadUrl',
    handler: 'create-image-upload-url',
    route: createImageUploadUrlRoute,
    description: 'Admin: pre-signed S3 PUT URL for a product image',
    tables: { Catalog: 'read' },
    buckets: { ProductImages: 'put' },
  },
]);
