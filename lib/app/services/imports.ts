/**
 * The inventory imports: three routes (an upload URL, one import, a store's imports), the validator
 * (S3 ObjectCreated) and the Tasks of the InventoryImport state machine.
 */
import { createImportRoute, getImportRoute, listImportsRoute } from '../../../functions/imports/contracts';
import { defineHttpFunctions } from '../define-functions';

export const importsFunctions = defineHttpFunctions('imports', [
  {
    name: 'CreateInventoryImport',
    handler: 'create-import',
    route: createImportRoute,
    description: "Merchant (the store's owner), admin: a new import and a pre-signed PUT for its CSV",
    tables: { Stores: 'read', InventoryImportRecords: 'write' },
    buckets: { InventoryImports: 'put' },
  },
  {
    name: 'GetInventoryImport',
    handler: 'get-import',
    route: getImportRoute,
    description: 'Merchant, admin: one import with its first errors and a link to its report',
    tables: { Stores: 'read', InventoryImportRecords: 'read' },
    buckets: { InventoryImports: 'read' },
  },
  {
    name: 'ListInventoryImports',
    handler: 'list-imports',
    route: listImportsRoute,
    description: "Merchant (the store's owner), admin: a store's imports, newest first",
    tables: { Stores: 'read', InventoryImportRecords: 'read' },
  },
]);
