/**
 * Checkout: the caller's cart, repriced from the catalogue, becomes a PENDING_PAYMENT order whose stock is
 * reserved at the saved location's store in the same DynamoDB transaction that writes the order and
 * deletes the cart (at the version read). Either all of it happens or none of it.
 */
import { cartCacheEntry, isExpired, MAX_CART_LINES, type StoredCart } from '#shared/published/cart';
import { stockCacheEntry } from '#shared/published/stock';
import { eventOf, orderErrors, type Order, type OrderLine, type ShortLine } from '../domain';
import type { CheckoutDeps } from '../ports';
import { publishNow } from './events';

/** Attempts when concurrent transactions get in the way (or the cart changes meanwhile). */
export const MAX_ATTEMPTS = 30;

export interface CheckoutRequest {
  readonly deliveryNote?: string;
}

export async function placeOrder(
  deps: CheckoutDeps,
  customerId: string,
  request: CheckoutRequest = {},
  /** `retryUntil` (epoch ms): past it, a lost race answers 409 `contention` instead of trying again. */
  options: { readonly retryUntil?: number } = {},
): Promise<Order> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      if (options.retryUntil !== undefined && deps.now().getTime() >= options.retryUntil) break;
      await deps.backoff(attempt);
    }
    const now = deps.now();
    // Two independent chains, each read started as soon as what it needs is known: the cart, then its
    // products' prices; the saved location, then its store's hours. Every round trip to DynamoDB is on the
    // checkout's critical path, so it costs the slower chain, not the sum of the slower read per step.
    const cartChain = deps.carts.get(customerId).then(async (stored) => {
      const cart = stored && !isExpired(stored, now.getTime()) ? stored : undefined;
      if (!cart || cart.lines.length === 0 || cart.lines.length > MAX_CART_LINES) return { cart };
      return { cart, products: await deps.products.get(cart.lines.map((l) => l.productId)) };
    });
    const locationChain = deps.locations.get(customerId).then(async (location) => ({
      location,
      open: location?.storeId ? await deps.stores.takesOrdersAt(location.storeId, now) : false,
    }));
    // Both settle before any error is decided, so the errors keep their order (cart first, then location).
    const [cartRead, locationRead] = await Promise.allSettled([cartChain, locationChain]);
    if (cartRead.status === 'rejected') throw cartRead.reason;
    const { cart } = cartRead.value;
    if (!cart || cart.lines.length === 0) throw orderErrors.emptyCart();
    if (cart.lines.length > MAX_CART_LINES) throw orderErrors.tooLarge(MAX_CART_LINES);

    if (locationRead.status === 'rejected') throw locationRead.reason;
    const { location, open } = locationRead.value;
    if (!location) throw orderErrors.noLocation();
    if (!location.storeId) throw orderErrors.notServiceable();
    const storeId = location.storeId;
    const products = cartRead.value.products!;
    // The saved location's store was chosen when it was saved: it may have closed or paused since.
    if (!open) throw orderErrors.notServiceable();

    // Client prices are never trusted: every line at the catalogue's price now. A product no longer for
    // sale is a line with nothing available.
    const gone = cart.lines.filter((l) => products.get(l.productId)?.isActive !== true);
    if (gone.length > 0)
      throw orderErrors.short(
        gone.map((l) => ({ productId: l.productId, requested: l.quantity, available: 0 })),
      );
    const over = cart.lines.filter((l) => l.quantity > products.get(l.productId)!.maxPerOrder);
    if (over.length > 0) throw orderErrors.overLimit(over.map((l) => l.productId));
    const lines: OrderLine[] = cart.lines.map((l) => {
      const p = products.get(l.productId)!;
      const quantity = l.quantity;
      return {
        productId: l.productId,
        name: p.name,
        unit: p.unit,
        quantity,
        unitPricePaise: p.pricePaise,
        linePaise: p.pricePaise * quantity,
      };
    });
    const order = newOrder(deps, customerId, storeId, location, lines, now, request);
    const outcome = await deps.orders.place(order, eventOf(order, null), cart);
    if (outcome.placed) {
      await afterPlacing(deps, order, cart);
      return order;
    }
    if (outcome.reason === 'short') {
      const short = await shortLines(deps, storeId, lines);
      if (short.length > 0) throw orderErrors.short(short);
      // The stock came back between the write and the re-read: try again.
    }
  }
  throw orderErrors.contention();
}

function newOrder(
  deps: CheckoutDeps,
  customerId: string,
  storeId: string,
  location: { lat: number; lng: number; label?: string; address?: string },
  lines: OrderLine[],
  now: Date,
  request: CheckoutRequest,
): Order {
  const subtotalPaise = lines.reduce((s, l) => s + l.linePaise, 0);
  const deliveryFeePaise =
    subtotalPaise >= deps.settings.freeDeliveryThresholdPaise ? 0 : deps.settings.deliveryFeePaise;
  const at = now.toISOString();
  return {
    orderId: deps.newId(),
    customerId,
    storeId,
    status: 'PENDING_PAYMENT',
    lines,
    subtotalPaise,
    deliveryFeePaise,
    totalPaise: subtotalPaise + deliveryFeePaise,
    currency: 'INR',
    deliveryLocation: {
      lat: location.lat,
      lng: location.lng,
      ...(location.label !== undefined ? { label: location.label } : {}),
      ...(location.address !== undefined ? { address: location.address } : {}),
    },
    ...(request.deliveryNote !== undefined ? { deliveryNote: request.deliveryNote } : {}),
    reservationExpiresAt: new Date(now.getTime() + deps.settings.reservationTtlSeconds * 1000).toISOString(),
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ status: 'PENDING_PAYMENT', at, by: 'customer', userId: customerId }],
  };
}

/** What is short now, from a strongly consistent read of the lines. */
async function shortLines(
  deps: CheckoutDeps,
  storeId: string,
  lines: readonly OrderLine[],
): Promise<ShortLine[]> {
  const stock = await deps.stock.lines(
    storeId,
    lines.map((l) => l.productId),
  );
  return lines
    .map((l) => ({
      productId: l.productId,
      requested: l.quantity,
      available: stock.get(l.productId)?.available ?? 0,
    }))
    .filter((l) => l.available < l.requested);
}

/** The order is placed: nothing after this may fail the request (the order and its event are stored). */
async function afterPlacing(deps: CheckoutDeps, order: Order, cart: StoredCart): Promise<void> {
  await Promise.all([
    publishNow(deps, order.orderId, [eventOf(order, null)]),
    deps.storeLoad
      .increment(order.storeId, new Date(order.createdAt))
      .catch((error: unknown) =>
        deps.logger.warn('Store load not counted', { storeId: order.storeId, error: String(error) }),
      ),
    // The cart is gone and the shown stock moved: drop both from the cache (never throws).
    deps.cache.invalidate({
      keys: [
        cartCacheEntry(cart.userId).key,
        ...order.lines.map((l) => stockCacheEntry(order.storeId, l.productId).key),
      ],
    }),
  ]);
}
