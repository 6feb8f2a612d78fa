/**
 * The payments service's functions (ADR 18). Paying records the payment and attaches it to the order in
 * one transaction (Payments + Orders) and queues it; the worker charges the provider through the shared
 * breaker and settles payment and order together (a declined payment cancels the order and releases its
 * stock: Inventory); the refund worker refunds; webhooks and the reconciliation settle from the
 * provider's side. Only the functions that call the provider or check its signatures read its secrets.
 */
import {
  createPaymentRoute,
  getPaymentRoute,
  providerHealthRoute,
  webhookRoute,
} from '../../../functions/payments/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { FunctionDef, QueueDef, SecretDef } from '../types';

export const PAYMENT_REQUESTS_QUEUE = 'PaymentRequests';
export const REFUND_REQUESTS_QUEUE = 'RefundRequests';

/** Provider calls take at most 2 s each, a few per message, 5 messages a batch in parallel. */
const WORKER_TIMEOUT_SECONDS = 30;
/**
 * At most this many worker invocations at once (the event source mapping's maximum concurrency): with
 * batches of 5, at most 25 provider calls in flight, whatever the queue's backlog after an outage.
 */
const WORKER_MAX_CONCURRENCY = 5;

export const paymentQueues: QueueDef[] = [
  {
    name: PAYMENT_REQUESTS_QUEUE,
    description:
      'Payments to charge (functions/payments): retried with exponential backoff through the visibility timeout, dead-lettered after 5 attempts (the payment stays PROCESSING with its failureReason)',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
  {
    name: REFUND_REQUESTS_QUEUE,
    description:
      'Refunds owed (functions/shared/published/refund-request.ts): a paid order cancelled, or a charge that came after the order stopped waiting',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
];

export const paymentSecrets: SecretDef[] = [
  { name: 'PaymentProviderApiKey', description: "The payment provider's API key (Stripe: the secret key)" },
  { name: 'PaymentWebhookSigning', description: 'The secret the provider signs its webhooks with' },
];

const PROVIDER_SETTINGS = [
  'paymentProvider',
  'paymentProviderEndpoint',
  'paymentProviderTimeoutMs',
  'paymentRetryBaseSeconds',
] as const;
const PROVIDER_SECRETS = { PaymentProviderApiKey: 'read', PaymentWebhookSigning: 'read' } as const;

const httpFunctions = defineHttpFunctions('payments', [
  {
    name: 'CreatePayment',
    handler: 'create-payment',
    route: createPaymentRoute,
    description:
      'Customer: pays for a PENDING_PAYMENT order; the payment is recorded and queued (Idempotency-Key)',
    tables: { Payments: 'readWrite', Orders: 'readWrite' },
    queues: { PaymentRequests: 'send' },
  },
  {
    name: 'GetPayment',
    handler: 'get-payment',
    route: getPaymentRoute,
    description: 'Customer (own), admin: one payment with its status, attempts and failure reason',
    tables: { Payments: 'read' },
  },
  {
    name: 'ReceivePaymentWebhook',
    handler: 'webhook',
    route: webhookRoute,
    description: "The provider's signed webhooks: settles payments idempotently, ignores replays",
    // Exchanges: a part refund's webhook settles the exchange's refund too.
    tables: { Payments: 'readWrite', Orders: 'readWrite', Inventory: 'write', Exchanges: 'write' },
    queues: { RefundRequests: 'send', NotificationRequests: 'send' },
    secrets: { PaymentWebhookSigning: 'read' },
    settings: ['paymentProvider'],
  },
  {
    name: 'GetProviderHealth',
    handler: 'provider-health',
    route: providerHealthRoute,
    description: "Admin: the provider's shared breaker, failure rate, payment queue and DLQ depths",
    tables: { Payments: 'read' },
    queueDepths: [PAYMENT_REQUESTS_QUEUE],
    settings: ['paymentProvider'],
  },
]);

export const paymentsFunctions: FunctionDef[] = [
  ...httpFunctions,
  {
    name: 'ProcessPayments',
    service: 'payments',
    entry: 'functions/payments/handlers/payment-worker.ts',
    description:
      'Charges queued payments through the shared circuit breaker (payment id = idempotency key), settles payment and order together',
    trigger: {
      kind: 'queue',
      queue: PAYMENT_REQUESTS_QUEUE,
      batchSize: 5,
      maxConcurrency: WORKER_MAX_CONCURRENCY,
    },
    tables: { Payments: 'readWrite', Orders: 'readWrite', Inventory: 'write' },
    // Its own queue: a deferral while the breaker is open is a delayed copy of the message.
    queues: { PaymentRequests: 'send', RefundRequests: 'send', NotificationRequests: 'send' },
    secrets: PROVIDER_SECRETS,
    settings: [...PROVIDER_SETTINGS],
    timeoutSeconds: WORKER_TIMEOUT_SECONDS,
  },
  {
    name: 'ProcessRefunds',
    service: 'payments',
    entry: 'functions/payments/handlers/refund-worker.ts',
    description:
      'Refunds owed payments through the shared circuit breaker, idempotently (REFUND_PENDING to REFUNDED)',
    trigger: { kind: 'queue', queue: REFUND_REQUESTS_QUEUE, batchSize: 5, maxConcurrency: 2 },
    // Exchanges: an exchange's part refund is settled on the exchange too (published/exchange-refund.ts).
    tables: { Payments: 'readWrite', Orders: 'readWrite', Exchanges: 'write' },
    queues: { RefundRequests: 'send', NotificationRequests: 'send' },
    secrets: PROVIDER_SECRETS,
    settings: [...PROVIDER_SETTINGS],
    timeoutSeconds: WORKER_TIMEOUT_SECONDS,
  },
  {
    name: 'ReconcilePayments',
    service: 'payments',
    entry: 'functions/payments/handlers/reconcile.ts',
    description:
      'Every 5 minutes: settles payments stuck PROCESSING or REFUND_PENDING and part refunds stuck PENDING from the provider, re-queues PENDING ones whose message was lost',
    trigger: {
      kind: 'schedule',
      expression: 'rate(5 minutes)',
      description: 'Reconciles open payments with the provider',
    },
    // Exchanges: a part refund it settles is settled on the exchange too.
    tables: { Payments: 'readWrite', Orders: 'readWrite', Inventory: 'write', Exchanges: 'write' },
    queues: { PaymentRequests: 'send', RefundRequests: 'send', NotificationRequests: 'send' },
    secrets: PROVIDER_SECRETS,
    settings: [...PROVIDER_SETTINGS],
    timeoutSeconds: 120,
  },
];
