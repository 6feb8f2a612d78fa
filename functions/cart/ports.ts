import type { Cache } from '#shared/cache/port';
import type { StoredCart } from '#shared/published/cart';
import type { ProductForSale } from '#shared/published/product';
import type { StockLine } from '#shared/published/stock';
import type { DeliverySettings } from './domain';

export interface CartRepository {
  /** The stored cart (strongly consistent), expired or not. */
  get(userId: string): Promise<StoredCart | undefined>;
  /**
   * Writes `cart` if the stored cart is still at `expectedVersion` (undefined: there is none). False when
   * another write got in first (nothing written).
   */
  put(cart: StoredCart, expectedVersion: number | undefined): Promise<boolean>;
  delete(userId: string): Promise<void>;
}

export interface CartDeps {
  readonly carts: CartRepository;
  readonly products: { get(ids: readonly string[]): Promise<Map<string, ProductForSale>> };
  /** The store of the customer's saved location (undefined: none saved, or it was not serviceable). */
  readonly locations: { storeOf(userId: string): Promise<string | undefined> };
  readonly stock: { lines(storeId: string, productIds: readonly string[]): Promise<Map<string, StockLine>> };
  /** Write-through of the cart (the pass-through cache without one). */
  readonly cache: Cache;
  readonly settings: DeliverySettings;
  readonly now: () => Date;
  /** Waits before retry `attempt` after a lost race; tests pass a no-op. */
  readonly backoff: (attempt: number) => Promise<void>;
}
