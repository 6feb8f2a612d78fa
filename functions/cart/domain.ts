/** Cart rules and the cart view: lines with current prices and stock, flags, and totals in paise. */
import { ConflictError, NotFoundError, ValidationError, domainError } from '#shared/errors';
import type { ProductForSale } from '#shared/published/product';
import type { StockLine } from '#shared/published/stock';
import { MAX_CART_LINES, type CartLine, type StoredCart } from '#shared/published/cart';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export class CartFullError extends domainError(409, 'Cart full', 'cart-full') {}
/** Too many concurrent edits of one cart won before us: nothing was written; retrying is safe. */
export class CartContentionError extends domainError(409, 'Conflict', 'contention') {}

export const cartErrors = {
  productNotFound: (id: string) => new NotFoundError(`No product ${id} is for sale.`),
  tooMany: (max: number) =>
    new ValidationError(`At most ${max} of this product per order.`, [
      { in: 'body', field: 'quantity', message: `Must be at most ${max} (the product's per-order maximum)` },
    ]),
  full: () => new CartFullError(`A cart holds at most ${MAX_CART_LINES} different products.`),
  contention: () =>
    new CartContentionError(
      'The cart is being changed by other requests at once; nothing was changed, try again.',
    ),
  conflict: () => new ConflictError('The cart changed meanwhile.'),
};

export interface DeliverySettings {
  readonly freeDeliveryThresholdPaise: number;
  readonly deliveryFeePaise: number;
}

/** No fee for an empty cart or a subtotal at or above the threshold. */
export function deliveryFee(subtotalPaise: number, settings: DeliverySettings): number {
  return subtotalPaise === 0 || subtotalPaise >= settings.freeDeliveryThresholdPaise
    ? 0
    : settings.deliveryFeePaise;
}

/** The lines after putting `quantity` of `product` (a new line goes last; an existing one keeps its place). */
export function withLine(
  lines: readonly CartLine[],
  product: ProductForSale,
  quantity: number,
  now: string,
): CartLine[] {
  if (quantity > product.maxPerOrder) throw cartErrors.tooMany(product.maxPerOrder);
  const line: CartLine = {
    productId: product.productId,
    quantity,
    addedPricePaise: product.pricePaise,
    addedAt: now,
  };
  const index = lines.findIndex((l) => l.productId === product.productId);
  if (index >= 0) return lines.map((l, i) => (i === index ? line : l));
  if (lines.length >= MAX_CART_LINES) throw cartErrors.full();
  return [...lines, line];
}

export type LineStock = 'available' | 'short' | 'out_of_stock' | 'unavailable' | 'unknown';

export interface CartView {
  readonly storeId: string | null;
  readonly lines: readonly {
    readonly productId: string;
    readonly name: string | null;
    readonly unit: string | null;
    readonly quantity: number;
    readonly unitPricePaise: number | null;
    readonly addedPricePaise: number;
    readonly linePaise: number;
    readonly priceChanged: boolean;
    readonly stock: LineStock;
    readonly available: number | null;
    readonly maxPerOrder: number | null;
  }[];
  readonly itemCount: number;
  readonly subtotalPaise: number;
  readonly deliveryFeePaise: number;
  readonly totalPaise: number;
  readonly currency: 'INR';
  readonly version: number;
  readonly updatedAt: string | null;
  readonly expiresAt: string | null;
}

/**
 * The view of a cart at the customer's store (`storeId` undefined: no serviceable saved location, so stock
 * is `unknown`). A product no longer for sale is `unavailable` and counts nothing; every other line counts
 * at its current price, even when short (checkout refuses short lines; the view only flags them).
 */
export function cartView(
  cart: StoredCart | undefined,
  products: ReadonlyMap<string, ProductForSale>,
  storeId: string | undefined,
  stock: ReadonlyMap<string, StockLine>,
  settings: DeliverySettings,
): CartView {
  const lines = (cart?.lines ?? []).map((l) => {
    const product = products.get(l.productId);
    const forSale = product?.isActive === true;
    const available = storeId && forSale ? (stock.get(l.productId)?.available ?? 0) : null;
    const state: LineStock = !forSale
      ? 'unavailable'
      : available === null
        ? 'unknown'
        : available <= 0
          ? 'out_of_stock'
          : available < l.quantity
            ? 'short'
            : 'available';
    return {
      productId: l.productId,
      name: product?.name ?? null,
      unit: product?.unit ?? null,
      quantity: l.quantity,
      unitPricePaise: forSale ? product.pricePaise : null,
      addedPricePaise: l.addedPricePaise,
      linePaise: forSale ? product.pricePaise * l.quantity : 0,
      priceChanged: forSale && product.pricePaise !== l.addedPricePaise,
      stock: state,
      available,
      maxPerOrder: forSale ? product.maxPerOrder : null,
    };
  });
  const subtotalPaise = lines.reduce((sum, l) => sum + l.linePaise, 0);
  const fee = deliveryFee(subtotalPaise, settings);
  return {
    storeId: storeId ?? null,
    lines,
    itemCount: lines.reduce((sum, l) => sum + (l.stock === 'unavailable' ? 0 : l.quantity), 0),
    subtotalPaise,
    deliveryFeePaise: fee,
    totalPaise: subtotalPaise + fee,
    currency: 'INR',
    version: cart?.version ?? 0,
    updatedAt: cart && cart.lines.length > 0 ? cart.updatedAt : null,
    expiresAt: cart && cart.lines.length > 0 ? new Date(cart.expiresAt * 1000).toISOString() : null,
  };
}
