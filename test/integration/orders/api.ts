/** The cart and order handlers, invoked as the gateway would (proxy events). */
import { randomUUID } from 'node:crypto';
import { handler as clearCartHandler } from '../../../functions/cart/handlers/clear-cart';
import { handler as getCartHandler } from '../../../functions/cart/handlers/get-cart';
import { handler as removeItemHandler } from '../../../functions/cart/handlers/remove-item';
import { handler as setItemHandler } from '../../../functions/cart/handlers/set-item';
import { handler as cancelHandler } from '../../../functions/orders/handlers/cancel-order';
import { handler as statusHandler } from '../../../functions/orders/handlers/change-status';
import { handler as getOrderHandler } from '../../../functions/orders/handlers/get-order';
import { handler as listOrdersHandler } from '../../../functions/orders/handlers/list-orders';
import { handler as storeOrdersHandler } from '../../../functions/orders/handlers/list-store-orders';
import { handler as placeOrderHandler } from '../../../functions/orders/handlers/place-order';
import { invoke } from '../../support/lambda';
import type { Caller } from './fixtures';

export const cart = {
  get: (as: Caller) => invoke(getCartHandler, { path: '/v1/cart', as }),
  set: (as: Caller, productId: string, quantity: unknown) =>
    invoke(setItemHandler, {
      method: 'PUT',
      path: `/v1/cart/items/${productId}`,
      pathParameters: { productId },
      body: { quantity },
      as,
    }),
  remove: (as: Caller, productId: string) =>
    invoke(removeItemHandler, {
      method: 'DELETE',
      path: `/v1/cart/items/${productId}`,
      pathParameters: { productId },
      as,
    }),
  clear: (as: Caller) => invoke(clearCartHandler, { method: 'DELETE', path: '/v1/cart', as }),
};

type Handler = Parameters<typeof invoke>[0];

export const orders = {
  place: (as: Caller, key: string = randomUUID(), body?: unknown, handler: Handler = placeOrderHandler) =>
    invoke(handler, {
      method: 'POST',
      path: '/v1/orders',
      headers: { 'Idempotency-Key': key },
      body,
      as,
    }),
  get: (as: Caller, orderId: string) =>
    invoke(getOrderHandler, { path: `/v1/orders/${orderId}`, pathParameters: { orderId }, as }),
  list: (as: Caller, query: Record<string, string> = {}) =>
    invoke(listOrdersHandler, { path: '/v1/orders', query, as }),
  cancel: (as: Caller, orderId: string, reason = 'Changed my mind', key: string = randomUUID()) =>
    invoke(cancelHandler, {
      method: 'POST',
      path: `/v1/orders/${orderId}/cancel`,
      pathParameters: { orderId },
      headers: { 'Idempotency-Key': key },
      body: { reason },
      as,
    }),
  status: (as: Caller, orderId: string, status: string) =>
    invoke(statusHandler, {
      method: 'POST',
      path: `/v1/orders/${orderId}/status`,
      pathParameters: { orderId },
      body: { status },
      as,
    }),
  ofStore: (as: Caller, storeId: string, query: Record<string, string> = {}) =>
    invoke(storeOrdersHandler, {
      path: `/v1/stores/${storeId}/orders`,
      pathParameters: { storeId },
      query,
      as,
    }),
};
