/**
 * The catalogue service's functions: one per route (functions/catalog/contracts.ts), each with the
 * narrowest access to the Catalog table it needs. Admin writes read first (to apply the rules) and then
 * write in one transaction, so they need readWrite. Only the upload-URL function may put into the
 * ProductImages bucket (the pre-signed URL carries its permission).
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
import type { FunctionDef } from '../types';

const service = 'catalog';
const entry = (file: string): string => `functions/catalog/handlers/${file}.ts`;

export const catalogFunctions: FunctionDef[] = [
  {
    name: 'ListCategories',
    service,
    entry: entry('list-categories'),
    description: 'Public category tree',
    trigger: { kind: 'http', route: listCategoriesRoute },
    tables: { Catalog: 'read' },
  },
  {
    name: 'ListCategoryProducts',
    service,
    entry: entry('list-category-products'),
    description: 'Public, paginated active products of a category',
    trigger: { kind: 'http', route: listCategoryProductsRoute },
    tables: { Catalog: 'read' },
  },
  {
    name: 'GetProduct',
    service,
    entry: entry('get-product'),
    description: 'Public product details',
    trigger: { kind: 'http', route: getProductRoute },
    tables: { Catalog: 'read' },
  },
  {
    name: 'CreateCategory',
    service,
    entry: entry('create-category'),
    description: 'Admin: creates a category or subcategory',
    trigger: { kind: 'http', route: createCategoryRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'UpdateCategory',
    service,
    entry: entry('update-category'),
    description: 'Admin: changes a category',
    trigger: { kind: 'http', route: updateCategoryRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'DeleteCategory',
    service,
    entry: entry('delete-category'),
    description: 'Admin: deletes an empty category',
    trigger: { kind: 'http', route: deleteCategoryRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'CreateProduct',
    service,
    entry: entry('create-product'),
    description: 'Admin: creates a product',
    trigger: { kind: 'http', route: createProductRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'UpdateProduct',
    service,
    entry: entry('update-product'),
    description: 'Admin: changes a product',
    trigger: { kind: 'http', route: updateProductRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'DeleteProduct',
    service,
    entry: entry('delete-product'),
    description: 'Admin: deletes a product',
    trigger: { kind: 'http', route: deleteProductRoute },
    tables: { Catalog: 'readWrite' },
  },
  {
    name: 'CreateProductImageUploadUrl',
    service,
    entry: entry('create-image-upload-url'),
    description: 'Admin: pre-signed S3 PUT URL for a product image',
    trigger: { kind: 'http', route: createImageUploadUrlRoute },
    tables: { Catalog: 'read' },
    buckets: { ProductImages: 'put' },
  },
];
