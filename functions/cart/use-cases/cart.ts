/**
 * The caller's cart: read through the cache, changed with optimistic concurrency (every write is
 * conditional on the version it read; a lost race reads again and re-applies the change, so two concurrent
 * edits never lose one), written through to the cache after DynamoDB.
 */
import { CART_TTL_SECONDS, cartCacheEntry, isExpired, type StoredCart } from '#shared/published/cart';
import { cartErrors, cartView, withLine, type CartView } from '../domain';
import type { CartDeps } from '../ports';

/** Attempts before answering 409 `contention` (nothing written; safe to retry). */
export const MAX_ATTEMPTS = 10;

/** The cart as the customer sees it: an expired one is empty. */
const live = (cart: StoredCart | undefined, now: Date): StoredCart | undefined =>
  cart && isExpired(cart, now.getTime()) ? { ...cart, lines: [] } : cart;

async function view(deps: CartDeps, userId: string, cart: StoredCart | undefined): Promise<CartView> {
  const ids = (cart?.lines ?? []).map((l) => l.productId);
  const [products, storeId] = await Promise.all([
    ids.length ? deps.products.get(ids) : Promise.resolve(new Map()),
    deps.locations.storeOf(userId),
  ]);
  const stock = storeId && ids.length ? await deps.stock.lines(storeId, ids) : new Map();
  return cartView(cart, products, storeId, stock, deps.settings);
}

export async function getCart(deps: CartDeps, userId: string): Promise<CartView> {
  const cached = await deps.cache.getOrLoad<StoredCart | null>(
    cartCacheEntry(userId),
    async () => (await deps.carts.get(userId)) ?? null,
  );
  return view(deps, userId, live(cached ?? undefined, deps.now()));
}

/** Read, apply, write conditionally; on a lost race read again. Returns the stored cart. */
async function change(
  deps: CartDeps,
  userId: string,
  apply: (lines: StoredCart['lines'], now: Date) => StoredCart['lines'] | undefined,
): Promise<StoredCart | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await deps.backoff(attempt);
    const now = deps.now();
    const stored = await deps.carts.get(userId);
    const current = live(stored, now);
    const lines = apply(current?.lines ?? [], now);
    if (lines === undefined) return current; // nothing to change: nothing written
    const next: StoredCart = {
      userId,
      lines,
      version: (stored?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + CART_TTL_SECONDS,
    };
    if (await deps.carts.put(next, stored?.version)) {
      // After DynamoDB, never a failure: the cache fails open. A failed set drops the entry instead, so a
      // reader cannot keep seeing the cart as it was before this change.
      if (!(await deps.cache.set([{ entry: cartCacheEntry(userId), value: next }])) && deps.cache.enabled)
        await deps.cache.invalidate({ keys: [cartCacheEntry(userId).key] });
      return next;
    }
  }
  throw cartErrors.contention();
}

export async function setItem(
  deps: CartDeps,
  userId: string,
  productId: string,
  quantity: number,
): Promise<CartView> {
  const product = (await deps.products.get([productId])).get(productId);
  if (!product?.isActive) throw cartErrors.productNotFound(productId);
  if (quantity > product.maxPerOrder) throw cartErrors.tooMany(product.maxPerOrder);
  const cart = await change(deps, userId, (lines, now) => {
    const existing = lines.find((l) => l.productId === productId);
    if (existing?.quantity === quantity && existing.addedPricePaise === product.pricePaise) return undefined;
    return withLine(lines, product, quantity, now.toISOString());
  });
  return view(deps, userId, cart);
}

export async function removeItem(deps: CartDeps, userId: string, productId: string): Promise<CartView> {
  const cart = await change(deps, userId, (lines) =>
    lines.some((l) => l.productId === productId) ? lines.filter((l) => l.productId !== productId) : undefined,
  );
  return view(deps, userId, cart);
}

export async function clearCart(deps: Pick<CartDeps, 'carts' | 'cache'>, userId: string): Promise<void> {
  await deps.carts.delete(userId);
  await deps.cache.invalidate({ keys: [cartCacheEntry(userId).key] });
}
