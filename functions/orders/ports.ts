import type { Cache } from '#shared/cache/port';
import type { StoredCart } from '#shared/published/cart';
import type { ProductForSale } from '#shared/published/product';
import type { SavedLocation } from '#shared/published/saved-location';
import type { StockLine } from '#shared/published/stock';
import type { StoreAccess } from '#shared/published/store-access';
import type { Order, OrderEvent, OrderStatus, StockEffect } from './domain';

export type PlaceOutcome =
  | { readonly placed: true }
  /** The cart changed after it was read (another tab, a concurrent checkout): read it again. */
  | { readonly placed: false; readonly reason: 'cart-changed' }
  /** These lines' conditions failed: not enough stock (or no line at the store). */
  | { readonly placed: false; readonly reason: 'short'; readonly productIds: readonly string[] }
  /** A concurrent transaction on the same items got in the way: nothing written, retry. */
  | { readonly placed: false; readonly reason: 'conflict' };

export interface Transition {
  /** The order as read; the write is conditional on its status and version. */
  readonly before: Order;
  readonly after: Order;
  readonly effect: StockEffect;
  readonly event: OrderEvent;
  /** Only if the reservation expired by then (epoch ms): the sweeper's condition. */
  readonly expiredBy?: number;
}

export type TransitionOutcome = 'done' | 'stale' | 'conflict';

export interface Page<T> {
  readonly items: readonly T[];
  /** Position after the last item when more may follow. */
  readonly next?: { readonly createdAt: string; readonly orderId: string };
}

export interface PageRequest {
  readonly limit: number;
  readonly after?: { readonly createdAt: string; readonly orderId: string };
}

export interface OrdersRepository {
  /** Order put, cart delete (at the version read) and one reservation per line, in one transaction. */
  place(order: Order, event: OrderEvent, cart: StoredCart): Promise<PlaceOutcome>;
  get(orderId: string): Promise<Order | undefined>;
  /** The transition, its stock effect and its event in one transaction. */
  transition(transition: Transition): Promise<TransitionOutcome>;
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<Order>>;
  listByStore(storeId: string, status: OrderStatus | undefined, page: PageRequest): Promise<Page<Order>>;
  /** Orders still PENDING_PAYMENT whose reservation expired by `nowMs` (sparse index; may lag). */
  expiredReservations(nowMs: number, limit: number): Promise<readonly Order[]>;
  /** Orders holding events not yet marked published since before `beforeMs` (sparse index). */
  unpublished(beforeMs: number, limit: number): Promise<readonly { orderId: string; events: OrderEvent[] }[]>;
  /** Marks events published (removes them from the order's outbox). */
  markPublished(orderId: string, eventIds: readonly string[]): Promise<void>;
}

/** Where order events go (SQS `OrderEvents`); at least once: consumers dedupe on `eventId`. */
export interface OrderEventPublisher {
  publish(events: readonly OrderEvent[]): Promise<void>;
}

export interface Logger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Events are published right after the transition; a failure leaves them for the relay. */
export interface EventDeps {
  readonly orders: OrdersRepository;
  readonly publisher: OrderEventPublisher;
  readonly logger: Logger;
}

export interface CheckoutDeps extends EventDeps {
  readonly carts: { get(userId: string): Promise<StoredCart | undefined> };
  readonly products: { get(ids: readonly string[]): Promise<Map<string, ProductForSale>> };
  readonly locations: { get(userId: string): Promise<SavedLocation | undefined> };
  /** Whether the store is open by its status and within its opening hours at `at`. */
  readonly stores: { takesOrdersAt(storeId: string, at: Date): Promise<boolean> };
  /** Strongly consistent: the 409 reports what is available now. */
  readonly stock: { lines(storeId: string, productIds: readonly string[]): Promise<Map<string, StockLine>> };
  /** Feeds the load term of the serviceability ETA (StoreLoad). */
  readonly storeLoad: { increment(storeId: string, at: Date): Promise<void> };
  readonly cache: Cache;
  readonly settings: {
    readonly reservationTtlSeconds: number;
    readonly freeDeliveryThresholdPaise: number;
    readonly deliveryFeePaise: number;
  };
  readonly now: () => Date;
  readonly newId: () => string;
  readonly backoff: (attempt: number) => Promise<void>;
}

export interface LifecycleDeps extends EventDeps {
  readonly stores: { access(storeId: string): Promise<StoreAccess | undefined> };
  /** Counts an order's units as sold at its store (StoreSales); only the status changes record sales. */
  readonly sales?: { record(order: Order, at: Date): Promise<void> };
  /**
   * The product pages' cache, given to the functions that release stock (cancellation, the sweeper): a
   * release drops the lines' cached availability as checkout's reservation does. Absent: nothing cached.
   */
  readonly cache?: Cache;
  readonly now: () => Date;
  readonly backoff: (attempt: number) => Promise<void>;
}
