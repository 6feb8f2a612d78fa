/**
 * The catalogue service's functions: one per route (functions/catalog/contracts.ts for the public reads,
 * admin-contracts.ts for the admin writes), each with the narrowest access to the Catalog table it needs.
 * Admin writes read first (to apply the rules) and then write in one transaction, so they need readWrite. Only the upload-URL function may put into the
 * ProductImages bucket (the pre-signed URL carries its permission). The two public product reads also read
 * the Inventory and CustomerLocations tables (availability at the caller's store, ADR 9). Every function
 * that reads or changes the catalogue declares the cache (reads fill it, admin changes invalidate it); the
 * upload-URL function does not, so it stays outside the VPC and its bundle has no Redis client.
 */
import {
  createCategoryRoute,
  createImageUploadUrlRoute,
  createProductRoute,
  deleteCategoryRoute,
  deleteProductRoute,
  updateCategoryRoute,
  updateProductRoute,
  warmCacheRoute,
} from '../../../functions/catalog/admin-contracts';
import {
  getProductRoute,
  listCategoriesRoute,
  listCategoryProductsRoute,
} from '../../../functions/catalog/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef } from '../types';

const catalogHttpFunctions = defineHttpFunctions('catalog', [
  {
    name: 'ListCategories',
    handler: 'list-categories',
    route: listCategoriesRoute,
    description: 'Public category tree',
    tables: { Catalog: 'read' },
    cache: true,
  },
  {
    name: 'ListCategoryProducts',
    handler: 'list-category-products',
    route: listCategoryProductsRoute,
    description: 'Public, paginated active products of a category, with availability at a store',
    tables: { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' },
    cache: true,
  },
  {
    name: 'GetProduct',
    handler: 'get-product',
    route: getProductRoute,
    description: 'Public product details, with availability at a store',
    tables: { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' },
    cache: true,
  },
  {
    name: 'CreateCategory',
    handler: 'create-category',
    route: createCategoryRoute,
    description: 'Admin: creates a category or subcategory',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'UpdateCategory',
    handler: 'update-category',
    route: updateCategoryRoute,
    description: 'Admin: changes a category',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'DeleteCategory',
    handler: 'delete-category',
    route: deleteCategoryRoute,
    description: 'Admin: deletes an empty category',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'CreateProduct',
    handler: 'create-product',
    route: createProductRoute,
    description: 'Admin: creates a product',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'UpdateProduct',
    handler: 'update-product',
    route: updateProductRoute,
    description: 'Admin: changes a product',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'DeleteProduct',
    handler: 'delete-product',
    route: deleteProductRoute,
    description: 'Admin: deletes a product',
    tables: { Catalog: 'readWrite' },
    cache: true,
  },
  {
    name: 'CreateProductImageUploadUrl',
    handler: 'create-image-upload-url',
    route: createImageUploadUrlRoute,
    description: 'Admin: pre-signed S3 PUT URL for a product image',
    tables: { Catalog: 'read' },
    buckets: { ProductImages: 'put' },
  },
  {
    name: 'WarmCache',
    handler: 'warm-cache',
    route: warmCacheRoute,
    description:
      'Admin: warms the cache (category tree, first listing pages, and per serving store its best sellers then the catalogue rank, with their stock).',
    tables: { Catalog: 'read', Stores: 'read', Inventory: 'read', StoreSales: 'read' },
    cache: true,
    timeoutSeconds: 30,
  },
]);

/**
 * The same warm-up on a schedule: before the peaks, in the windows of the stage config (`cacheWarmUp`);
 * the expression below is the default where a stage defines none (and what `npm start` runs).
 */
const scheduledWarmUp: FunctionDef = {
  name: 'ScheduledCacheWarmUp',
  service: 'catalog',
  entry: 'functions/catalog/handlers/warm-cache-scheduled.ts',
  description: 'Warms the catalogue cache before the peaks',
  trigger: {
    kind: 'schedule',
    expression: 'cron(30 17 * * ? *)',
    timeZone: 'Asia/Kolkata',
    description: 'Catalogue cache warm-up before the evening peak',
    stageWindows: 'cacheWarmUp',
  },
  tables: { Catalog: 'read', Stores: 'read', Inventory: 'read', StoreSales: 'read' },
  cache: true,
  timeoutSeconds: 60,
};

export const catalogFunctions: FunctionDef[] = [...catalogHttpFunctions, scheduledWarmUp];
