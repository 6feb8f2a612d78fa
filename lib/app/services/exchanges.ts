/**
 * The exchanges service's functions. Requests and decisions read the order (Orders, published layout),
 * the store's staff (Stores) and the products' categories (Catalog), and write Exchanges; approval and the
 * replacement's dispatch move stock (Inventory). Every change tells the customer (NotificationRequests)
 * and a replacement found out of stock is refunded (RefundRequests), both through the exchange's outbox,
 * which a scheduled relay empties of what could not be sent at once.
 * Photos go to the ExchangePhotos bucket under the order's prefix through pre-signed PUTs.
 */
import {
  changeReplacementStatusRoute,
  createPhotoUploadUrlRoute,
  decideExchangeRoute,
  getExchangeRoute,
  listExchangesRoute,
  requestExchangeRoute,
} from '../../../functions/exchanges/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef } from '../types';

/** What the functions built by exchangeDeps (functions/exchanges/wiring.ts) read. */
const READS = { Exchanges: 'read', Orders: 'read', Stores: 'read', Catalog: 'read' } as const;

const httpFunctions: FunctionDef[] = defineHttpFunctions('exchanges', [
  {
    name: 'RequestExchange',
    handler: 'request-exchange',
    route: requestExchangeRoute,
    description:
      'Customer: asks to replace delivered items within the window (Idempotency-Key); the rules may approve and reserve at once',
    tables: { ...READS, Exchanges: 'readWrite', Inventory: 'write' },
    // RefundRequests: the rules' approval may find the replacement out of stock (a refund instead).
    queues: { NotificationRequests: 'send', RefundRequests: 'send' },
    settings: ['exchangeRules'],
  },
  {
    name: 'CreateExchangePhotoUploadUrl',
    handler: 'create-photo-upload-url',
    route: createPhotoUploadUrlRoute,
    description: "Customer: a pre-signed PUT for one photo under the order's prefix",
    tables: { Orders: 'read' },
    buckets: { ExchangePhotos: 'put' },
  },
  {
    name: 'GetExchange',
    handler: 'get-exchange',
    route: getExchangeRoute,
    description: "Customer, the store's staff and rider, admin: one exchange with its history",
    tables: { Exchanges: 'read', Stores: 'read' },
  },
  {
    name: 'ListExchanges',
    handler: 'list-exchanges',
    route: listExchangesRoute,
    description: 'Admin: the review queue, exchanges of one status oldest first',
    tables: { Exchanges: 'read', Stores: 'read' },
  },
  {
    name: 'DecideExchange',
    handler: 'decide-exchange',
    route: decideExchangeRoute,
    description: "Admin or the store's staff: approves (reserving the replacement) or rejects an exchange",
    tables: { ...READS, Exchanges: 'readWrite', Inventory: 'write' },
    queues: { NotificationRequests: 'send', RefundRequests: 'send' },
    settings: ['exchangeRules'],
  },
  {
    name: 'ChangeReplacementStatus',
    handler: 'change-replacement-status',
    route: changeReplacementStatusRoute,
    description: "The store's staff and rider: the replacement packed, out for delivery (sold), delivered",
    tables: { ...READS, Exchanges: 'readWrite', Inventory: 'write' },
    queues: { NotificationRequests: 'send' },
    settings: ['exchangeRules'],
  },
]);

export const exchangesFunctions: FunctionDef[] = [
  ...httpFunctions,
  {
    name: 'RelayExchangeOutbox',
    service: 'exchanges',
    entry: 'functions/exchanges/handlers/relay-outbox.ts',
    description:
      "Every minute: sends the notifications and refund requests left in exchanges' outboxes (at least once, never lost)",
    trigger: {
      kind: 'schedule',
      expression: 'rate(1 minute)',
      description: "Relays exchanges' unsent messages",
    },
    tables: { Exchanges: 'readWrite' },
    queues: { NotificationRequests: 'send', RefundRequests: 'send' },
    timeoutSeconds: 60,
  },
];
