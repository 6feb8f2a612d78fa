/**
 * The orders service's functions. Checkout reads the cart, the catalogue's prices, the saved location and
 * the store's status, and writes the order, deletes the cart and reserves stock in one transaction
 * (Orders + Carts + Inventory); it also counts the order in StoreLoad and drops the cart and the moved
 * stock lines from the cache. Transitions write Orders and Inventory and read Stores (who works where).
 * The sweeper touches Orders and Inventory only: it may not read carts, stores or the catalogue.
 */
import {
  cancelOrderRoute,
  changeOrderStatusRoute,
  getOrderRoute,
  listOrdersRoute,
  listStoreOrdersRoute,
  placeOrderRoute,
} from '../../../functions/orders/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef } from '../types';

const httpFunctions = defineHttpFunctions('orders', [
  {
    name: 'PlaceOrder',
    handler: 'place-order',
    route: placeOrderRoute,
    description: 'Customer: checkout with atomic stock reservation (Idempotency-Key)',
    tables: {
      Orders: 'readWrite',
      Carts: 'readWrite',
      Catalog: 'read',
      Inventory: 'readWrite',
      CustomerLocations: 'read',
      Stores: 'read',
      StoreLoad: 'write',
    },
    queues: { OrderEvents: 'send' },
    cache: true,
    settings: ['reservationTtlSeconds', 'freeDeliveryThresholdPaise', 'deliveryFeePaise'],
  },
  {
    name: 'ListMyOrders',
    handler: 'list-orders',
    route: listOrdersRoute,
    description: "Customer: the caller's orders, newest first",
    tables: { Orders: 'read', Stores: 'read' },
  },
  {
    name: 'GetOrder',
    handler: 'get-order',
    route: getOrderRoute,
    description: "Customer, the store's staff and rider, admin: one order with its history and its exchanges",
    tables: { Orders: 'read', Stores: 'read', Exchanges: 'read' },
  },
  {
    name: 'CancelOrder',
    handler: 'cancel-order',
    route: cancelOrderRoute,
    description: 'Customer: cancels before dispatch, releasing the reserved stock (Idempotency-Key)',
    tables: { Orders: 'readWrite', Inventory: 'write', Stores: 'read' },
    // A release drops the lines' cached availability (ADR 14).
    cache: true,
    // A paid order's cancellation event is also a refund request (functions/orders/adapters/publisher.ts).
    queues: { OrderEvents: 'send', RefundRequests: 'send' },
  },
  {
    name: 'ChangeOrderStatus',
    handler: 'change-status',
    route: changeOrderStatusRoute,
    description:
      'Store staff and riders: packed, out for delivery (the reservation becomes a sale, counted in StoreSales), delivered',
    tables: { Orders: 'readWrite', Inventory: 'write', Stores: 'read', StoreSales: 'write' },
    queues: { OrderEvents: 'send' },
  },
  {
    name: 'ListStoreOrders',
    handler: 'list-store-orders',
    route: listStoreOrdersRoute,
    description: "Store staff and admins: a store's orders, optionally of one status",
    tables: { Orders: 'read', Stores: 'read' },
  },
]);

export const ordersFunctions: FunctionDef[] = [
  ...httpFunctions,
  {
    name: 'SweepReservations',
    service: 'orders',
    entry: 'functions/orders/handlers/sweep-reservations.ts',
    description:
      'Every minute: cancels orders unpaid past their reservation (RESERVATION_EXPIRED), releases their stock exactly once, relays unpublished order events',
    trigger: {
      kind: 'schedule',
      expression: 'rate(1 minute)',
      description: 'Releases expired checkout reservations',
    },
    tables: { Orders: 'readWrite', Inventory: 'write' },
    // A release drops the lines' cached availability (ADR 14).
    cache: true,
    // The relay publishes whatever an outbox holds, refund requests of cancelled paid orders included.
    queues: { OrderEvents: 'send', RefundRequests: 'send' },
    timeoutSeconds: 60,
  },
];
