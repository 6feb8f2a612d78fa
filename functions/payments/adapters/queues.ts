/**
 * The payments service's queues: its own `PaymentRequests` (the worker's messages, also re-sent with a
 * delay to defer while the breaker is open) and `RefundRequests`, and `NotificationRequests` (payment
 * outcomes and refunds, published layout). Each URL is read only by the functions that declared the queue.
 */
import { requestNotifications } from '#shared/published/notification-request';
import { requestRefunds } from '#shared/published/refund-request';
import { sendMessages } from '#shared/queue/send';
import type { PaymentQueues } from '../ports';

export interface QueueUrls {
  readonly paymentRequests?: string;
  readonly refundRequests?: string;
  readonly notificationRequests?: string;
}

const need = (url: string | undefined, queue: string): string => {
  if (!url) throw new Error(`This function does not send to ${queue}`);
  return url;
};

export function sqsPaymentQueues(urls: QueueUrls): PaymentQueues {
  return {
    requestPayment: (paymentId, delaySeconds) =>
      sendMessages(need(urls.paymentRequests, 'PaymentRequests'), [
        { body: { paymentId }, ...(delaySeconds ? { delaySeconds } : {}) },
      ]),
    requestRefunds: (requests) => requestRefunds(need(urls.refundRequests, 'RefundRequests'), requests),
    notify: (requests) =>
      requestNotifications(need(urls.notificationRequests, 'NotificationRequests'), requests),
  };
}
