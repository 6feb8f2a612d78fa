/**
 * The cart service's functions: the caller's own cart. Every function reads the catalogue's products
 * (published layout), the stock lines and the saved location (the view shows availability at the
 * customer's store), and declares the cache (the cart is written through and read through it).
 */
import {
  clearCartRoute,
  getCartRoute,
  removeCartItemRoute,
  setCartItemRoute,
} from '../../../functions/cart/contracts';
import { defineHttpFunctions } from '../define-functions';
import type { SettingName } from '../settings';

const readers = { Catalog: 'read', Inventory: 'read', CustomerLocations: 'read' } as const;
const settings: SettingName[] = ['freeDeliveryThresholdPaise', 'deliveryFeePaise'];

export const cartFunctions = defineHttpFunctions('cart', [
  {
    name: 'GetCart',
    handler: 'get-cart',
    route: getCartRoute,
    description: "Customer: the cart with current prices, stock at the customer's store and totals",
    tables: { Carts: 'read', ...readers },
    cache: true,
    settings,
  },
  {
    name: 'SetCartItem',
    handler: 'set-item',
    route: setCartItemRoute,
    description: 'Customer: puts a product in the cart (optimistic concurrency, written through)',
    tables: { Carts: 'readWrite', ...readers },
    cache: true,
    settings,
  },
  {
    name: 'RemoveCartItem',
    handler: 'remove-item',
    route: removeCartItemRoute,
    description: 'Customer: removes a product from the cart',
    tables: { Carts: 'readWrite', ...readers },
    cache: true,
    settings,
  },
  {
    name: 'ClearCart',
    handler: 'clear-cart',
    route: clearCartRoute,
    description: 'Customer: empties the cart',
    tables: { Carts: 'write' },
    cache: true,
  },
]);
