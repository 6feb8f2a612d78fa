/** What the exchanges use cases depend on; adapters/ and wiring.ts provide them. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { OrderForExchange } from '#shared/published/delivered-order';
import type { StoreAccess } from '#shared/published/store-access';
import type { Exchange, ExchangeRules, ExchangeStatus } from './domain';
import type { OutboxMessage } from './outbox';

export interface PageRequest {
  readonly limit: number;
  readonly after?: { readonly createdAt: string; readonly exchangeId: string };
}
export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: { readonly createdAt: string; readonly exchangeId: string };
}

/** A transition's effect on the stock lines of the exchange's lines at its store. */
export type StockEffect = 'reserve' | 'sell' | 'none';
/** `conflict`: another transaction touched the same items at once; nothing was written, try again. */
export type TransitionOutcome = 'done' | 'stale' | 'short' | 'conflict';

export interface ExchangeRepository {
  get(exchangeId: string): Promise<Exchange | undefined>;
  /**
   * Stores the exchange and claims its units of the order's lines in one transaction, so that across all
   * of an order's exchanges no line ever claims more than `delivered` units (concurrent requests included).
   * `exceeded` when some line would; nothing is written then.
   */
  create(
    exchange: Exchange,
    delivered: ReadonlyMap<string, number>,
    messages: Readonly<Record<string, OutboxMessage>>,
  ): Promise<'created' | 'exceeded'>;
  /** Units of each product of the order claimed by its exchanges (consistent read). */
  claims(orderId: string): Promise<Map<string, number>>;
  /** The customer's exchanges requested since `since` (ISO 8601). */
  countSince(customerId: string, since: string): Promise<number>;
  listByStatus(status: ExchangeStatus, page: PageRequest): Promise<Page<Exchange>>;
  listByOrder(orderId: string): Promise<Exchange[]>;
  /**
   * Replaces `before` by `after` conditional on `before`'s status and version, moving the lines' stock
   * in the same transaction; `releaseClaims` gives the lines' claimed units back (a rejection).
   * `messages` join the exchange's outbox in the same write.
   * `stale`: the exchange changed meanwhile; `short`: a stock line lacks the units (nothing written).
   */
  transition(t: {
    readonly before: Exchange;
    readonly after: Exchange;
    readonly stock: StockEffect;
    readonly releaseClaims?: boolean;
    readonly messages: Readonly<Record<string, OutboxMessage>>;
  }): Promise<TransitionOutcome>;
  /** Drops these entries of the exchange's outbox (sent); it leaves the relay's index once empty. */
  markPublished(exchangeId: string, keys: readonly string[]): Promise<void>;
  /** Exchanges whose outbox has held messages since before `beforeMs`, with those messages. */
  unpublished(
    beforeMs: number,
    limit: number,
  ): Promise<readonly { exchangeId: string; messages: Record<string, OutboxMessage> }[]>;
}

/** Sends outbox messages (notifications, refund requests); throws if a send fails. */
export interface OutboxPublisher {
  publish(messages: readonly OutboxMessage[]): Promise<void>;
}

export interface ExchangeDeps {
  readonly exchanges: ExchangeRepository;
  readonly orders: { get(orderId: string): Promise<OrderForExchange | undefined> };
  readonly stores: { access(storeId: string): Promise<StoreAccess | undefined> };
  /** Slugs of each product's category and its parent (published catalogue layout). */
  readonly categories: { slugsOf(productIds: readonly string[]): Promise<Map<string, string[]>> };
  readonly publisher: OutboxPublisher;
  readonly rules: ExchangeRules;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newId: () => string;
}

export type ExchangeReadDeps = Pick<ExchangeDeps, 'exchanges' | 'stores'>;

/** The outbox relay (scheduled): the repository, the publisher and the clock. */
export type RelayDeps = Pick<ExchangeDeps, 'exchanges' | 'publisher' | 'logger' | 'now'>;
