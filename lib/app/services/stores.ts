/**
 * The stores service's functions: dark stores (admin), the public store page, serviceability and the
 * customer's saved location. Serviceability reads only the Stores table (cell index + stores) and the
 * StoreLoad counters; saving a location also writes CustomerLocations (a put, so `write`).
 */
import {
  assignStaffRoute,
  createStoreRoute,
  listStoresRoute,
  removeStaffRoute,
  updateStoreRoute,
} from '../../../functions/stores/admin-contracts';
import {
  getLocationRoute,
  getStoreRoute,
  saveLocationRoute,
  serviceabilityRoute,
} from '../../../functions/stores/contracts';
import { defineHttpFunctions } from '../define-functions';

export const storesFunctions = defineHttpFunctions('stores', [
  {
    name: 'CreateStore',
    handler: 'create-store',
    route: createStoreRoute,
    description: 'Admin: creates a dark store and indexes its service area',
    tables: { Stores: 'write' },
  },
  {
    name: 'UpdateStore',
    handler: 'update-store',
    route: updateStoreRoute,
    description: 'Admin: changes a dark store (re-indexing its service area)',
    tables: { Stores: 'readWrite' },
  },
  {
    name: 'ListStores',
    handler: 'list-stores',
    route: listStoresRoute,
    description: 'Admin: paginated dark stores',
    tables: { Stores: 'read' },
  },
  {
    name: 'AssignStoreStaff',
    handler: 'assign-staff',
    route: assignStaffRoute,
    description: 'Admin: assigns store staff or a delivery partner to a store',
    // Users: the assignee must exist and hold the role (functions/shared/published/user-roles.ts).
    tables: { Stores: 'readWrite', Users: 'read' },
  },
  {
    name: 'RemoveStoreStaff',
    handler: 'remove-staff',
    route: removeStaffRoute,
    description: 'Admin: removes a user from a store',
    tables: { Stores: 'write' },
  },
  {
    name: 'GetStore',
    handler: 'get-store',
    route: getStoreRoute,
    description: 'Public store page',
    tables: { Stores: 'read' },
  },
  {
    name: 'GetServiceability',
    handler: 'get-serviceability',
    route: serviceabilityRoute,
    description: 'Public: which store serves a point, with the ETA',
    tables: { Stores: 'read', StoreLoad: 'read' },
  },
  {
    name: 'SaveMyLocation',
    handler: 'save-location',
    route: saveLocationRoute,
    description: 'Customer: saves the delivery location and the store it resolves to',
    tables: { Stores: 'read', StoreLoad: 'read', CustomerLocations: 'write' },
  },
  {
    name: 'GetMyLocation',
    handler: 'get-location',
    route: getLocationRoute,
    description: 'Customer: the saved delivery location',
    tables: { CustomerLocations: 'read' },
  },
]);
