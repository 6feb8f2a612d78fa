/**
 * The inventory service's functions. Each reads the Stores table (the store's merchant and staff, to decide
 * who may manage its stock); the change writes the line and its audit record in one transaction.
 */
import { changeStockRoute, getStockRoute, listStockRoute } from '../../../functions/inventory/contracts';
import { defineHttpFunctions } from '../define-functions';

export const inventoryFunctions = defineHttpFunctions('inventory', [
  {
    name: 'ListStock',
    handler: 'list-stock',
    route: listStockRoute,
    description: "Store staff, merchant, admin: a store's stock lines",
    tables: { Stores: 'read', Inventory: 'read' },
  },
  {
    name: 'GetStock',
    handler: 'get-stock',
    route: getStockRoute,
    description: 'Store staff, merchant, admin: one stock line',
    tables: { Stores: 'read', Inventory: 'read' },
  },
  {
    name: 'ChangeStock',
    handler: 'change-stock',
    route: changeStockRoute,
    description:
      'Store staff, merchant, admin: sets or adjusts a stock line (audited, written through to the cache)',
    tables: { Stores: 'read', Inventory: 'readWrite', InventoryAudit: 'write' },
    cache: true,
  },
]);
