/**
 * The app definition: the single source of truth for what Zepto is made of. CDK stacks (lib/stacks), the
 * local platform (local/), the OpenAPI document and the role-by-route tests are all derived from it.
 * A new route is one contract (functions/<service>/contracts.ts), one handler and one entry in
 * lib/app/services/<service>.ts.
 */
import { ROLES } from '../../functions/shared/http/route';
import { IDEMPOTENCY_TABLE } from './define-functions';
import { cartFunctions } from './services/cart';
import { exchangesFunctions } from './services/exchanges';
import { catalogFunctions } from './services/catalog';
import { identityFunctions } from './services/identity';
import { importsFunctions, INVENTORY_IMPORT_MACHINE } from './services/imports';
import { inventoryFunctions } from './services/inventory';
import { notificationQueues, notificationsFunctions, notificationTables } from './services/notifications';
import { ordersFunctions } from './services/orders';
import { paymentQueues, paymentSecrets, paymentsFunctions } from './services/payments';
import { SEARCH_INDEXING_FAILURES_QUEUE, searchFunctions } from './services/search';
import { storesFunctions } from './services/stores';
import type { AppDef } from './types';

const ROLE_DESCRIPTIONS: Record<(typeof ROLES)[number], string> = {
  customer: 'Shops: cart, orders, payments (given to everyone at registration)',
  merchant: 'Manages a store catalogue and uploads inventory',
  store_staff: 'Packs orders in a dark store',
  delivery_partner: 'Delivers orders',
  admin: 'Operates the platform',
};

export const app: AppDef = {
  tables: [
    {
      name: 'Users',
      description: 'User profiles keyed by Cognito sub',
      partitionKey: { name: 'userId', type: 'S' },
    },
    {
      name: 'Catalog',
      description:
        'Categories, products and their uniqueness guards (single table). gsi1: products by category; gsi2: products by parent category',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [
        { name: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
        { name: 'gsi2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' } },
      ],
      // Feeds the search indexer (old images: a deletion's version).
      stream: 'NEW_AND_OLD_IMAGES',
    },
    {
      name: IDEMPOTENCY_TABLE,
      description:
        'Idempotency-Key records of routes that move money or stock (Powertools idempotency), expired by TTL',
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiration',
    },
    {
      name: 'Stores',
      description:
        'Dark stores (pk STORE) and the H3 cell index of their service areas (pk CELL#<cell>, sk storeId), single table',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
    },
    {
      name: 'StoreLoad',
      description: 'Orders per store per minute (the load term of the ETA); counters expire after a day',
      partitionKey: { name: 'storeId', type: 'S' },
      sortKey: { name: 'minute', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    {
      name: 'Exchanges',
      description:
        "Exchanges of delivered items (pk exchangeId) and each order's claimed units (CLAIMS#<orderId>). byOrder: an order's exchanges; byStatus: the review queue; byCustomer: recent exchanges of a customer; byOutbox (sparse, only while messages are unsent): the outbox relay",
      partitionKey: { name: 'exchangeId', type: 'S' },
      indexes: [
        {
          name: 'byOrder',
          partitionKey: { name: 'orderId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byStatus',
          partitionKey: { name: 'status', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byCustomer',
          partitionKey: { name: 'customerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byOutbox',
          partitionKey: { name: 'outboxShard', type: 'S' },
          sortKey: { name: 'outboxAtMs', type: 'N' },
        },
      ],
    },
    {
      name: 'StoreSales',
      description:
        'Units sold per store, product and day (sk <day>#<productId>), for the warm-up to rank best sellers per store; expire after the window',
      partitionKey: { name: 'storeId', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    {
      name: 'CustomerLocations',
      description: "A customer's saved delivery location and the store it resolved to",
      partitionKey: { name: 'userId', type: 'S' },
    },
    {
      name: 'Inventory',
      description: 'Stock per store and product: available, reserved, version',
      partitionKey: { name: 'storeId', type: 'S' },
      sortKey: { name: 'productId', type: 'S' },
    },
    {
      name: 'InventoryAudit',
      description: 'Every stock change: who, when, before, after, reason (written in the same transaction)',
      partitionKey: { name: 'line', type: 'S' },
      sortKey: { name: 'auditId', type: 'S' },
    },
    {
      name: 'Carts',
      description: "A customer's cart (lines, version), expired by TTL 7 days after its last change",
      partitionKey: { name: 'userId', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    {
      name: 'Orders',
      description:
        'Orders with their lines, status history and unpublished events. byCustomer / byStore / byStoreStatus: listings, newest first; byExpiry (sparse, only while PENDING_PAYMENT): the reservation sweeper; byOutbox (sparse, only while events are unpublished): the event relay',
      partitionKey: { name: 'orderId', type: 'S' },
      indexes: [
        {
          name: 'byCustomer',
          partitionKey: { name: 'customerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byStore',
          partitionKey: { name: 'storeId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byStoreStatus',
          partitionKey: { name: 'storeStatus', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'byExpiry',
          partitionKey: { name: 'expiryShard', type: 'S' },
          sortKey: { name: 'reservationExpiresAtMs', type: 'N' },
        },
        {
          name: 'byOutbox',
          partitionKey: { name: 'outboxShard', type: 'S' },
          sortKey: { name: 'outboxAtMs', type: 'N' },
        },
      ],
    },
    {
      name: 'Payments',
      description:
        'Payments (PAYMENT#<id>), the provider circuit breaker every instance shares (BREAKER#<provider>) and webhook event ids seen (WEBHOOK#…, expired by TTL). byOpen (sparse, only while PENDING, PROCESSING or REFUND_PENDING): the reconciliation',
      partitionKey: { name: 'pk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
      indexes: [
        {
          name: 'byOpen',
          partitionKey: { name: 'openShard', type: 'S' },
          sortKey: { name: 'openSinceMs', type: 'N' },
        },
      ],
    },
    {
      // Not `InventoryImports`: that is the bucket's name, and tables and buckets share the data stack's ids.
      name: 'InventoryImportRecords',
      description:
        "A merchant's CSV stock imports: status, counts, first errors (byStore: a store's imports, newest first)",
      partitionKey: { name: 'importId', type: 'S' },
      indexes: [
        {
          name: 'byStore',
          partitionKey: { name: 'storeId', type: 'S' },
          sortKey: { name: 'importId', type: 'S' },
        },
      ],
    },
    ...notificationTables,
  ],
  buckets: [
    {
      name: 'ExchangePhotos',
      description:
        "Customers' photos of items they ask to exchange (exchanges/{orderId}/{photoId}.{ext}, pre-signed PUT only)",
      browserUploads: true,
      // Evidence for a decision taken within days; kept a quarter for disputes.
      expirations: [{ prefix: 'exchanges/', days: 90 }],
    },
    {
      name: 'ProductImages',
      description: 'Product images, uploaded with pre-signed URLs',
      browserUploads: true,
    },
    {
      name: 'InventoryImports',
      description:
        'Merchant inventory CSVs (imports/{merchantId}/{storeId}/{importId}.csv, pre-signed PUT or direct), their error reports next to them, and the validated chunks (chunks/)',
      browserUploads: true,
      // Chunks are the state machine's working copy: applied within minutes, kept a week for redrives.
      expirations: [{ prefix: 'chunks/', days: 7 }],
    },
  ],
  queues: [
    {
      name: 'OrderEvents',
      description:
        'Order state changes (created, confirmed, packed, out for delivery, delivered, cancelled) for notifications and later consumers',
    },
    {
      name: 'NotificationRequests',
      description:
        'Requests to notify a user (functions/shared/published/notification-request.ts), consumed by the notifications service',
    },
    {
      name: SEARCH_INDEXING_FAILURES_QUEUE,
      description:
        'On-failure destination of the search indexer: metadata of Catalog stream batches that failed every retry (alarmed; replay with npm run search:reindex)',
      retentionDays: 14,
    },
    ...notificationQueues,
    ...paymentQueues,
  ],
  secrets: paymentSecrets,
  stateMachines: [INVENTORY_IMPORT_MACHINE],
  userPool: {
    // Lower precedence wins when Cognito picks a role for a user in several groups.
    groups: ROLES.map((name, i) => ({
      name,
      description: ROLE_DESCRIPTIONS[name],
      precedence: (ROLES.length - i) * 10,
    })),
  },
  functions: [
    ...identityFunctions,
    ...catalogFunctions,
    ...storesFunctions,
    ...inventoryFunctions,
    ...cartFunctions,
    ...ordersFunctions,
    ...paymentsFunctions,
    ...importsFunctions,
    ...searchFunctions,
    ...exchangesFunctions,
    ...notificationsFunctions,
  ],
};
