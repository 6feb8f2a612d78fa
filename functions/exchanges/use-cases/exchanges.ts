/**
 * Requesting an exchange, deciding it (the rules, or a reviewer), reserving the replacement exactly as
 * checkout reserves stock, delivering it, and reading exchanges. Every change is conditional on the state
 * read (a stale change is a 409), recorded in the history, and tells the customer through the exchange's
 * outbox (outbox.ts), which also carries the refund of a replacement that could not be reserved.
 */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { Caller } from '#shared/http/identity';
import {
  autoApproves,
  DELIVERY_MOVES,
  exchangeErrors,
  isStoreMember,
  mayRead,
  PHOTO_KEY_PATTERN,
  photoPrefix,
  statusAfterStep,
  ULID_PATTERN,
  valueOf,
  windowHoursFor,
  type Actor,
  type DeliveryStep,
  type Exchange,
  type ExchangeLine,
  type ExchangeReason,
  type ExchangeStatus,
  type HistoryEntry,
} from '../domain';
import { messagesOf } from '../outbox';
import type { ExchangeDeps, ExchangeReadDeps, StockEffect } from '../ports';
import { publishNow } from './outbox';
import { once } from '#shared/once';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Attempts when concurrent transactions on the same stock lines get in the way (as at checkout). */
const MAX_ATTEMPTS = 10;

export interface ExchangeRequest {
  readonly lines: readonly { productId: string; quantity: number; reason: ExchangeReason }[];
  readonly note?: string;
  readonly photoKeys?: readonly string[];
}

/**
 * The customer asks to exchange delivered lines of their own order, within the window of each line's
 * category; the units are claimed against what was delivered in the same write as the exchange, so no
 * line is ever exchanged beyond it, however many requests race. Then the rules may approve at once.
 */
export async function requestExchange(
  deps: ExchangeDeps,
  caller: Caller,
  orderId: string,
  request: ExchangeRequest,
): Promise<Exchange> {
  const order = await deps.orders.get(orderId);
  if (!order || order.customerId !== caller.userId) throw exchangeErrors.orderNotFound(orderId);
  if (order.status !== 'DELIVERED' || !order.deliveredAt) throw exchangeErrors.notDelivered(order.status);

  const delivered = new Map(order.lines.map((l) => [l.productId, l]));
  const problems = request.lines.flatMap((line, i) =>
    delivered.has(line.productId)
      ? []
      : [{ in: 'body' as const, field: `lines.${i}.productId`, message: 'Not a line of this order' }],
  );
  const seen = new Set<string>();
  request.lines.forEach((line, i) => {
    if (seen.has(line.productId))
      problems.push({
        in: 'body',
        field: `lines.${i}.productId`,
        message: 'Named twice; send one line per product',
      });
    seen.add(line.productId);
    const units = delivered.get(line.productId)?.quantity;
    if (units !== undefined && line.quantity > units)
      problems.push({ in: 'body', field: `lines.${i}.quantity`, message: `At most ${units} were delivered` });
  });
  (request.photoKeys ?? []).forEach((key, i) => {
    if (!PHOTO_KEY_PATTERN.test(key) || !key.startsWith(photoPrefix(orderId)))
      problems.push({
        in: 'body',
        field: `photoKeys.${i}`,
        message: "Not a photo uploaded for this order's exchanges",
      });
  });
  if (problems.length > 0) throw exchangeErrors.invalid(problems);

  const now = deps.now();
  const slugs = await deps.categories.slugsOf(request.lines.map((l) => l.productId));
  const windows = request.lines.map((l) => ({
    productId: l.productId,
    hours: windowHoursFor(deps.rules, slugs.get(l.productId) ?? []),
  }));
  const never = windows.filter((w) => w.hours === null).map((w) => w.productId);
  if (never.length > 0) throw exchangeErrors.notExchangeable(never);
  const deliveredAt = Date.parse(order.deliveredAt);
  const closed = windows.filter((w) => now.getTime() > deliveredAt + w.hours! * HOUR_MS);
  if (closed.length > 0)
    throw exchangeErrors.windowClosed(
      closed.map((w) => w.productId),
      closed.map((w) => w.hours!),
    );

  const lines: ExchangeLine[] = request.lines.map((l) => {
    const line = delivered.get(l.productId)!;
    return {
      productId: l.productId,
      name: line.name,
      unit: line.unit,
      quantity: l.quantity,
      reason: l.reason,
      unitPricePaise: line.unitPricePaise,
    };
  });
  const at = now.toISOString();
  const exchange: Exchange = {
    exchangeId: deps.newId(),
    orderId,
    customerId: caller.userId,
    storeId: order.storeId,
    status: 'REQUESTED',
    lines,
    valuePaise: valueOf(lines),
    ...(request.note !== undefined ? { note: request.note } : {}),
    photoKeys: [...(request.photoKeys ?? [])],
    ...(order.paymentId !== undefined ? { paymentId: order.paymentId } : {}),
    history: [{ status: 'REQUESTED', at, by: 'customer', userId: caller.userId }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  // Counted before this one is stored: "fewer than N exchanges in the period before".
  const recent = await deps.exchanges.countSince(
    caller.userId,
    new Date(now.getTime() - deps.rules.autoApprove.periodDays * DAY_MS).toISOString(),
  );
  const messages = messagesOf(exchange);
  if ((await deps.exchanges.create(exchange, deliveredUnits(order.lines), messages)) === 'exceeded') {
    const claims = await deps.exchanges.claims(orderId);
    throw exchangeErrors.exceeded(
      lines.map((l) => ({
        productId: l.productId,
        delivered: delivered.get(l.productId)!.quantity,
        claimed: claims.get(l.productId) ?? 0,
        requested: l.quantity,
      })),
    );
  }
  await publishNow(deps, exchange.exchangeId, messages);
  if (!autoApproves(deps.rules, exchange, recent)) return exchange;
  // The rules approve: decided like a reviewer's approval (a concurrent reviewer's decision may win).
  return approve(deps, exchange, { by: 'rules', note: 'Approved by the exchange rules' });
}

const deliveredUnits = (lines: readonly { productId: string; quantity: number }[]) =>
  new Map(lines.map((l) => [l.productId, l.quantity]));

/**
 * A reviewer decides: an admin, or staff of the order's store. Two decisions racing: the first write wins,
 * the other is a 409.
 */
export async function decideExchange(
  deps: ExchangeDeps,
  caller: Caller,
  exchangeId: string,
  decision: { decision: 'approve' | 'reject'; note?: string },
): Promise<Exchange> {
  const exchange = await deps.exchanges.get(exchangeId);
  if (!exchange) throw exchangeErrors.notFound(exchangeId);
  const admin = caller.roles.includes('admin');
  const store = admin ? undefined : await deps.stores.access(exchange.storeId);
  if (!admin && !mayRead(caller, exchange, store)) throw exchangeErrors.notFound(exchangeId);
  if (!admin && !isStoreMember(caller, store, ['store_staff']))
    throw exchangeErrors.wrongRole('decide exchanges');
  if (exchange.status !== 'REQUESTED') throw exchangeErrors.stale(exchange.status);
  const by: Actor = admin ? 'admin' : 'store_staff';
  if (decision.decision === 'approve')
    return approve(deps, exchange, { by, userId: caller.userId, note: decision.note });
  const after = next(exchange, deps.now(), [
    { status: 'REJECTED', by, userId: caller.userId, note: decision.note },
  ]);
  return commit(deps, exchange, after, 'none', { releaseClaims: true });
}

/**
 * Approval reserves the replacement at the order's store as checkout reserves (all lines or none, never
 * below zero): REQUESTED → APPROVED → REPLACEMENT_RESERVED in one write. When a line's stock is gone it is
 * REPLACEMENT_UNAVAILABLE instead, and the lines are refunded (marked for the payments work).
 */
async function approve(
  deps: ExchangeDeps,
  exchange: Exchange,
  decision: { by: Actor; userId?: string; note?: string },
): Promise<Exchange> {
  let before = exchange;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.now();
    const approved: Omit<HistoryEntry, 'at'> = { status: 'APPROVED', ...decision };
    const reserved = {
      ...next(before, now, [approved, { status: 'REPLACEMENT_RESERVED', by: 'rules' }]),
      delivery: { status: 'PENDING' as const },
    };
    const messages = messagesOf(reserved);
    const outcome = await deps.exchanges.transition({ before, after: reserved, stock: 'reserve', messages });
    if (outcome === 'done') return published(deps, reserved, messages);
    if (outcome === 'stale')
      throw exchangeErrors.stale((await deps.exchanges.get(before.exchangeId))?.status ?? before.status);
    if (outcome === 'short') {
      const unavailable = {
        ...next(before, now, [
          approved,
          { status: 'REPLACEMENT_UNAVAILABLE', by: 'rules', note: 'Out of stock: refunded instead' },
        ]),
        refund: { status: 'PENDING' as const, amountPaise: before.valuePaise },
      };
      // Its order's payment is what the lines are refunded from; without one there is nothing to refund.
      if (before.paymentId === undefined) throw exchangeErrors.unpaid(before.orderId);
      return commit(deps, before, unavailable, 'none');
    }
    // A concurrent transaction on the same lines: read again and retry, as checkout does.
    await sleepJitter(attempt);
    before = (await deps.exchanges.get(before.exchangeId)) ?? before;
    if (before.status !== 'REQUESTED') throw exchangeErrors.stale(before.status);
  }
  throw exchangeErrors.stale(before.status);
}

/**
 * The replacement is delivered like an order: the store's staff pack it, its rider takes it out (the
 * reservation becomes a sale) and delivers it (the exchange is COMPLETED). Admins may make any move.
 */
export async function moveReplacement(
  deps: ExchangeDeps,
  caller: Caller,
  exchangeId: string,
  step: DeliveryStep,
): Promise<Exchange> {
  const exchange = await deps.exchanges.get(exchangeId);
  if (!exchange) throw exchangeErrors.notFound(exchangeId);
  const admin = caller.roles.includes('admin');
  const store = admin ? undefined : await deps.stores.access(exchange.storeId);
  if (!admin && !isStoreMember(caller, store, ['store_staff', 'delivery_partner']))
    throw exchangeErrors.notFound(exchangeId);
  const rule = DELIVERY_MOVES[step];
  if (!admin && !isStoreMember(caller, store, [rule.role]))
    throw exchangeErrors.wrongRole(`mark a replacement ${step}`);
  if (!exchange.delivery || exchange.delivery.status !== rule.from)
    throw exchangeErrors.notAllowed(exchange.status, step);
  const after = {
    ...next(exchange, deps.now(), [
      {
        status: step === 'PACKED' ? 'PACKED' : statusAfterStep(step),
        by: admin ? 'admin' : rule.role,
        userId: caller.userId,
      },
    ]),
    status: statusAfterStep(step),
    delivery: { status: step },
  };
  return commit(deps, exchange, after, step === 'OUT_FOR_DELIVERY' ? 'sell' : 'none');
}

export async function getExchange(
  deps: ExchangeReadDeps,
  caller: Caller,
  exchangeId: string,
): Promise<Exchange> {
  const exchange = await deps.exchanges.get(exchangeId);
  if (!exchange) throw exchangeErrors.notFound(exchangeId);
  const store =
    exchange.customerId === caller.userId || caller.roles.includes('admin')
      ? undefined
      : await deps.stores.access(exchange.storeId);
  if (!mayRead(caller, exchange, store)) throw exchangeErrors.notFound(exchangeId);
  return exchange;
}

const positionSchema = once(() =>
  z.strictObject({
    c: z.string().check(z.maxLength(40)),
    e: z.string().check(z.regex(ULID_PATTERN)),
  }),
);

/** The review queue (admins): exchanges of one status, oldest first; the cursor is scoped to the status. */
export async function listExchanges(
  deps: ExchangeReadDeps,
  request: { status: ExchangeStatus; limit: number; cursor?: string },
) {
  const scope = `exchanges:${request.status}`;
  const position = decodeCursor(request.cursor, scope, positionSchema);
  const page = await deps.exchanges.listByStatus(request.status, {
    limit: request.limit,
    after: position && { createdAt: position.c, exchangeId: position.e },
  });
  return {
    items: page.items,
    nextCursor: page.next ? encodeCursor({ c: page.next.createdAt, e: page.next.exchangeId }, scope) : null,
  };
}

/** The exchange after `entries` (the last one's status is the new status). */
function next(before: Exchange, now: Date, entries: readonly Omit<HistoryEntry, 'at'>[]): Exchange {
  const at = now.toISOString();
  const last = entries.at(-1)!;
  return {
    ...before,
    status: last.status === 'PACKED' ? before.status : last.status,
    history: [
      ...before.history,
      ...entries.map((e) => ({
        status: e.status,
        at,
        by: e.by,
        ...(e.userId !== undefined ? { userId: e.userId } : {}),
        ...(e.note !== undefined ? { note: e.note } : {}),
      })),
    ],
    updatedAt: at,
    version: before.version + 1,
  };
}

async function commit(
  deps: ExchangeDeps,
  before: Exchange,
  after: Exchange,
  stock: StockEffect,
  options: { releaseClaims?: boolean } = {},
): Promise<Exchange> {
  const messages = messagesOf(after);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const outcome = await deps.exchanges.transition({ before, after, stock, messages, ...options });
    if (outcome === 'done') return published(deps, after, messages);
    if (outcome === 'stale' || outcome === 'short')
      throw exchangeErrors.stale((await deps.exchanges.get(before.exchangeId))?.status ?? before.status);
    await sleepJitter(attempt);
  }
  throw exchangeErrors.stale(before.status);
}

/** Sends what the change owes (a failure leaves it to the relay and never undoes the change). */
async function published(
  deps: ExchangeDeps,
  exchange: Exchange,
  messages: Parameters<typeof publishNow>[2],
): Promise<Exchange> {
  await publishNow(deps, exchange.exchangeId, messages);
  return exchange;
}

const sleepJitter = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** attempt)));
