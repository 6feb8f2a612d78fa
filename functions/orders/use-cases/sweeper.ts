/**
 * The reservation sweeper (every minute): orders still PENDING_PAYMENT past their reservation are
 * cancelled with reason RESERVATION_EXPIRED and their stock released, each in one transaction conditional
 * on the order still being PENDING_PAYMENT at the version read and expired — so two sweepers racing, or a
 * retried run, release each reservation exactly once. It then relays events left in outboxes.
 */
import { RESERVATION_EXPIRED } from '../domain';
import type { EventDeps, LifecycleDeps } from '../ports';
import { relayUnpublished } from './events';
import { transition } from './lifecycle';

export type SweeperDeps = EventDeps &
  Pick<LifecycleDeps, 'now' | 'cache'> & {
    /** Epoch ms by which a run stops taking new pages (it stays within the function's timeout). */
    readonly deadline?: () => number;
  };

export interface SweepResult {
  readonly cancelled: number;
  /** Already moved on (paid, cancelled, or by another sweeper): nothing done. */
  readonly skipped: number;
  readonly relayed: number;
}

const PAGE = 100;
const PARALLEL = 8;

export async function sweepExpiredReservations(deps: SweeperDeps): Promise<SweepResult> {
  let cancelled = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (;;) {
    const nowMs = deps.now().getTime();
    if (deps.deadline && nowMs > deps.deadline()) break;
    // The index lags the table: an order cancelled a moment ago may show up again; the condition and
    // `seen` make that harmless.
    const due = (await deps.orders.expiredReservations(nowMs, PAGE)).filter((o) => !seen.has(o.orderId));
    if (due.length === 0) break;
    for (let i = 0; i < due.length; i += PARALLEL) {
      const outcomes = await Promise.all(
        due.slice(i, i + PARALLEL).map(async (order) => {
          seen.add(order.orderId);
          if (order.status !== 'PENDING_PAYMENT') return 'stale' as const;
          const { outcome } = await transition(deps, order, {
            to: 'CANCELLED',
            by: 'system',
            reason: RESERVATION_EXPIRED,
            expiredBy: nowMs,
          });
          return outcome;
        }),
      );
      cancelled += outcomes.filter((o) => o === 'done').length;
      skipped += outcomes.filter((o) => o !== 'done').length;
    }
    if (due.length < PAGE) break;
  }
  const relayed = await relayUnpublished(deps, deps.now().getTime());
  return { cancelled, skipped, relayed };
}
