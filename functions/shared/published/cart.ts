/**
 * Published item layout of the Carts table (ADR 9): written by the cart service; read and deleted by
 * checkout (the orders service), in the transaction that places the order, conditional on `version`.
 *
 * Table `Carts`: partition key `userId` (S), one item per customer:
 * `{userId, lines: [{productId, quantity, addedPricePaise, addedAt}], version, updatedAt, expiresAt}`.
 * `expiresAt` (N, epoch seconds) is the table's TTL attribute: 7 days after the last change. DynamoDB
 * deletes expired items late, so readers treat a cart past `expiresAt` as empty. `version` grows by one
 * with every change (optimistic concurrency: every write is conditional on the version it read).
 *
 * The cache entry `cart:<userId>` (kind `cart`, same TTL) holds the same cart, written through by the
 * cart service; checkout invalidates it.
 */
import type { CacheEntry } from '../cache/port';

export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
  /** The price when the line was added (or its quantity last changed), to flag price changes. */
  readonly addedPricePaise: number;
  readonly addedAt: string;
}

export interface StoredCart {
  readonly userId: string;
  readonly lines: readonly CartLine[];
  readonly version: number;
  readonly updatedAt: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export const CART_TTL_SECONDS = 7 * 24 * 60 * 60;
/** At most this many lines; it keeps a checkout (order + cart + one update per line) within 100 items. */
export const MAX_CART_LINES = 50;

export const cartKey = (userId: string) => ({ userId });

export const cartCacheEntry = (userId: string): CacheEntry => ({ key: `cart:${userId}`, kind: 'cart' });

export const cartItem = (cart: StoredCart): Record<string, unknown> => ({
  userId: cart.userId,
  lines: cart.lines.map((l) => ({ ...l })),
  version: cart.version,
  updatedAt: cart.updatedAt,
  expiresAt: cart.expiresAt,
});

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function cartFromItem(item: Record<string, unknown>): StoredCart {
  const lines = Array.isArray(item.lines) ? (item.lines as Record<string, unknown>[]) : [];
  return {
    userId: String(item.userId),
    lines: lines.map((l) => ({
      productId: String(l.productId),
      quantity: num(l.quantity),
      addedPricePaise: num(l.addedPricePaise),
      addedAt: String(l.addedAt),
    })),
    version: num(item.version),
    updatedAt: String(item.updatedAt),
    expiresAt: num(item.expiresAt),
  };
}

/** A cart DynamoDB has not deleted yet but whose TTL passed is empty. */
export const isExpired = (cart: StoredCart, nowMs: number): boolean => cart.expiresAt * 1000 <= nowMs;
