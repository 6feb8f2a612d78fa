/**
 * The order after checkout: reading and listing (ownership everywhere: another customer's order is a 404),
 * cancellation by the customer, fulfilment by the store's staff and rider, and the payment confirmation
 * the payments work will call. Every transition is conditional on the state read (stale → 409), appended
 * to the history, moves the stock in the same transaction and publishes its event.
 */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { Caller } from '#shared/http/identity';
import {
  CANCELLABLE,
  eventOf,
  isStoreMember,
  mayRead,
  orderErrors,
  PAID,
  STAFF_MOVES,
  TRANSITIONS,
  ULID_PATTERN,
  type Actor,
  type Order,
  type OrderStatus,
  type StaffMove,
} from '../domain';
import type { LifecycleDeps, Page, TransitionOutcome } from '../ports';
import { publishNow } from './events';
import { stockCacheEntry } from '#shared/published/stock';
import { once } from '#shared/once';

/** Attempts when a concurrent transaction on the same stock lines gets in the way. */
const MAX_ATTEMPTS = 10;

export async function getOrder(deps: LifecycleDeps, caller: Caller, orderId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw orderErrors.notFound(orderId);
  const store =
    order.customerId === caller.userId || caller.roles.includes('admin')
      ? undefined
      : await deps.stores.access(order.storeId);
  if (!mayRead(caller, order, store)) throw orderErrors.notFound(orderId);
  return order;
}

const positionSchema = once(() =>
  z.strictObject({
    c: z.string().check(z.maxLength(40)),
    o: z.string().check(z.regex(ULID_PATTERN)),
  }),
);

interface ListRequest {
  readonly limit: number;
  readonly cursor?: string;
}

function toPage(page: Page<Order>, scope: string) {
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor({ c: page.next.createdAt, o: page.next.orderId }, scope) : null,
  };
}

/** The caller's own orders; the cursor is scoped to the caller, so it cannot page anyone else's. */
export async function listMyOrders(deps: LifecycleDeps, caller: Caller, request: ListRequest) {
  const scope = `orders:${caller.userId}`;
  const position = decodeCursor(request.cursor, scope, positionSchema);
  const page = await deps.orders.listByCustomer(caller.userId, {
    limit: request.limit,
    after: position && { createdAt: position.c, orderId: position.o },
  });
  return toPage(page, scope);
}

export async function listStoreOrders(
  deps: LifecycleDeps,
  caller: Caller,
  request: ListRequest & { readonly storeId: string; readonly status?: OrderStatus },
) {
  const scope = `store-orders:${request.storeId}:${request.status ?? '*'}`;
  const position = decodeCursor(request.cursor, scope, positionSchema);
  const store = await deps.stores.access(request.storeId);
  if (!store) throw orderErrors.storeNotFound(request.storeId);
  if (!caller.roles.includes('admin') && !isStoreMember(caller, store)) throw orderErrors.forbiddenStore();
  const page = await deps.orders.listByStore(request.storeId, request.status, {
    limit: request.limit,
    after: position && { createdAt: position.c, orderId: position.o },
  });
  return toPage(page, scope);
}

interface Move {
  readonly to: OrderStatus;
  readonly by: Actor;
  readonly userId?: string;
  readonly reason?: string;
  /** The sweeper's extra condition: the reservation expired by then (epoch ms). */
  readonly expiredBy?: number;
}

/** The order after `move`, the transaction and the event; `stale` if the order moved meanwhile. */
export async function transition(
  deps: Pick<LifecycleDeps, 'orders' | 'publisher' | 'logger' | 'now' | 'cache'>,
  before: Order,
  move: Move,
): Promise<{ outcome: TransitionOutcome; order: Order }> {
  const effect = TRANSITIONS[before.status][move.to];
  if (effect === undefined) throw orderErrors.notAllowed(before.status, move.to);
  const at = deps.now().toISOString();
  const paid = move.to === 'CANCELLED' && PAID.includes(before.status);
  const after: Order = {
    ...before,
    status: move.to,
    updatedAt: at,
    version: before.version + 1,
    history: [
      ...before.history,
      {
        status: move.to,
        at,
        by: move.by,
        ...(move.userId !== undefined ? { userId: move.userId } : {}),
        ...(move.reason !== undefined ? { reason: move.reason } : {}),
      },
    ],
    ...(move.to === 'CANCELLED' ? { cancellation: { reason: move.reason ?? '', by: move.by } } : {}),
    ...(paid
      ? {
          refund: {
            status: 'PENDING' as const,
            amountPaise: before.totalPaise,
            ...(before.payment ? { paymentId: before.payment.paymentId } : {}),
          },
        }
      : {}),
  };
  const event = eventOf(after, before.status, move.reason);
  const outcome = await deps.orders.transition({ before, after, effect, event, expiredBy: move.expiredBy });
  if (outcome === 'done')
    await Promise.all([
      publishNow(deps, after.orderId, [event]),
      // Released units are sellable again: the cached availability must not keep showing them taken.
      effect === 'release' && deps.cache
        ? deps.cache.invalidate({
            keys: before.lines.map((l) => stockCacheEntry(before.storeId, l.productId).key),
          })
        : undefined,
    ]);
  return { outcome, order: after };
}

/** Reads, checks and transitions, again on a transaction conflict; a changed state is a 409. */
async function move(deps: LifecycleDeps, orderId: string, check: (order: Order) => Move): Promise<Order> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await deps.backoff(attempt);
    const before = await deps.orders.get(orderId);
    if (!before) throw orderErrors.notFound(orderId);
    const { outcome, order } = await transition(deps, before, check(before));
    if (outcome === 'done') return order;
    if (outcome === 'stale') {
      const now = await deps.orders.get(orderId);
      throw orderErrors.stale(now?.status ?? before.status);
    }
  }
  throw orderErrors.contention();
}

/** The customer cancels their own order before it is out for delivery; the stock comes back. */
export function cancelOrder(deps: LifecycleDeps, caller: Caller, orderId: string, reason: string) {
  return move(deps, orderId, (order) => {
    if (order.customerId !== caller.userId) throw orderErrors.notFound(orderId);
    if (!CANCELLABLE.includes(order.status)) throw orderErrors.notAllowed(order.status, 'CANCELLED');
    return { to: 'CANCELLED', by: 'customer', userId: caller.userId, reason };
  });
}

/**
 * Fulfilment: store staff pack, the rider picks up and delivers — only at their own store (anyone else:
 * 404, as for reading). Admins may make any of these moves.
 */
export async function changeStatus(deps: LifecycleDeps, caller: Caller, orderId: string, to: StaffMove) {
  const first = await deps.orders.get(orderId);
  if (!first) throw orderErrors.notFound(orderId);
  const admin = caller.roles.includes('admin');
  const store = admin ? undefined : await deps.stores.access(first.storeId);
  if (!admin && !isStoreMember(caller, store)) throw orderErrors.notFound(orderId);
  const rule = STAFF_MOVES[to];
  const by: Actor = admin ? 'admin' : rule.role;
  if (!admin && (store?.staff[caller.userId] !== rule.role || !caller.roles.includes(rule.role)))
    throw orderErrors.wrongRole(to);
  const order = await move(deps, orderId, (order) => {
    if (order.status !== rule.from) throw orderErrors.stale(order.status);
    return { to, by, userId: caller.userId };
  });
  if (to === 'OUT_FOR_DELIVERY') await recordSale(deps, order);
  return order;
}

/**
 * The reservation became a sale: count it for the warm-up's best sellers. Best effort after the move
 * (the ranking is a hint; 51 writes would not fit the move's transaction): a failure is logged, never the
 * request's, and only the winning transition gets here, so a retried request counts nothing twice.
 */
async function recordSale(deps: LifecycleDeps, order: Order): Promise<void> {
  await deps.sales
    ?.record(order, deps.now())
    .catch((error: unknown) =>
      deps.logger.warn('Sale not counted', { orderId: order.orderId, error: String(error) }),
    );
}

/**
 * Payment succeeded: PENDING_PAYMENT → CONFIRMED (the reservation stays until dispatch). The payments
 * service makes this move itself, in one transaction with its payment, through the published layout
 * functions/shared/published/order-payment.ts (ADR 18); this is the orders-side equivalent, for tools.
 */
export function confirmPayment(deps: LifecycleDeps, orderId: string) {
  return move(deps, orderId, (order) => {
    if (order.status !== 'PENDING_PAYMENT') throw orderErrors.stale(order.status);
    return { to: 'CONFIRMED', by: 'payments' };
  });
}
