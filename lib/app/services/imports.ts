/**
 * The inventory imports: three routes (an upload URL, one import, a store's imports), the validator
 * (S3 ObjectCreated) and the Tasks of the InventoryImport state machine.
 */
import { createImportRoute, getImportRoute, listImportsRoute } from '../../../functions/imports/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef, StateMachineDef } from '../types';

export const INVENTORY_IMPORT_MACHINE: StateMachineDef = {
  name: 'InventoryImport',
  description:
    'Applies a validated inventory CSV: chunks in parallel, cache write-through, error report, final status, notification',
  definitionFile: 'statemachines/inventory-import.asl.json',
  timeoutMinutes: 60,
};

const handlers = 'functions/imports/handlers';
const task = { kind: 'stateMachine', machine: INVENTORY_IMPORT_MACHINE.name } as const;

/** The validator (S3 ObjectCreated) and the Tasks of the InventoryImport machine. */
const pipelineFunctions: FunctionDef[] = [
  {
    name: 'ValidateInventoryImport',
    service: 'imports',
    entry: `${handlers}/validate-upload.ts`,
    description:
      'Streams an uploaded inventory CSV, validates every row, writes chunks and starts the import',
    trigger: { kind: 's3', bucket: 'InventoryImports', prefix: 'imports/', suffix: '.csv' },
    tables: { Stores: 'read', Catalog: 'read', InventoryImportRecords: 'readWrite' },
    buckets: { InventoryImports: 'readWrite' },
    stateMachines: { InventoryImport: 'start' },
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  {
    name: 'ApplyImportChunk',
    service: 'imports',
    entry: `${handlers}/apply-chunk.ts`,
    description:
      'Import Task: applies one chunk of rows with conditional, idempotent stock writes and their audit',
    trigger: task,
    tables: { Inventory: 'readWrite', InventoryAudit: 'write' },
    buckets: { InventoryImports: 'read' },
    timeoutSeconds: 120,
  },
  {
    name: 'WarmImportCache',
    service: 'imports',
    entry: `${handlers}/warm-cache.ts`,
    description: 'Import Task: writes the stock lines of one chunk through to the cache',
    trigger: task,
    tables: { Inventory: 'read' },
    buckets: { InventoryImports: 'read' },
    cache: true,
    timeoutSeconds: 60,
  },
  {
    name: 'WriteImportReport',
    service: 'imports',
    entry: `${handlers}/write-report.ts`,
    description: 'Import Task: writes the error report CSV next to the upload',
    trigger: task,
    buckets: { InventoryImports: 'readWrite' },
    timeoutSeconds: 120,
  },
  {
    name: 'CompleteImport',
    service: 'imports',
    entry: `${handlers}/complete-import.ts`,
    description: 'Import Task: records the final status and counts',
    trigger: task,
    tables: { InventoryImportRecords: 'readWrite' },
  },
  {
    name: 'FailImport',
    service: 'imports',
    entry: `${handlers}/fail-import.ts`,
    description: 'Import Task: records a failed import with its reason',
    trigger: task,
    tables: { InventoryImportRecords: 'readWrite' },
  },
  {
    name: 'NotifyImport',
    service: 'imports',
    entry: `${handlers}/notify-import.ts`,
    description: "Import Task: asks for the merchant's notification of the import's outcome",
    trigger: task,
    queues: { NotificationRequests: 'send' },
  },
];

const importRoutes = defineHttpFunctions('imports', [
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

export const importsFunctions: FunctionDef[] = [...importRoutes, ...pipelineFunctions];
