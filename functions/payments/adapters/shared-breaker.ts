/**
 * The provider's circuit breaker, one for every Lambda instance (ADR 18): cockatiel's
 * `CircuitBreakerPolicy` with a `SamplingBreaker` does the breaking; its state lives in the Payments table
 * and is restored (`initialState`) before each provider call and written back (`toJSON()`) after it, with a
 * version condition. No breaker logic is written here — only the persistence around cockatiel's.
 *
 * Hand-written on purpose: when another instance wrote the state meanwhile (the version moved), the call's
 * result is replayed into a breaker restored from the fresh state (`execute` of a function that succeeds
 * or fails as the real call did), so the sample is not lost, and written again; after a few conflicts the
 * sample is dropped (a breaker is statistics, not a ledger).
 */
import {
  BrokenCircuitError,
  CircuitState,
  circuitBreaker,
  handleWhen,
  SamplingBreaker,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { BREAKER, BreakerOpenError, isProviderFailure, type ProviderName } from '../domain';
import type { BreakerStateStore, BreakerSummary, SharedBreaker } from '../ports';

const WRITE_ATTEMPTS = 3;

interface Serialised {
  readonly ownState?: { readonly value?: number; readonly openedAt?: number };
  readonly breakerState?: {
    readonly windows?: readonly { startedAt: number; failures: number; successes: number }[];
  };
}

type Result =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class DynamoSharedBreaker implements SharedBreaker {
  constructor(
    private readonly store: BreakerStateStore,
    private readonly provider: ProviderName,
    private readonly settings: typeof BREAKER = BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  private policy(initialState: unknown): CircuitBreakerPolicy {
    return circuitBreaker(handleWhen(isProviderFailure), {
      halfOpenAfter: this.settings.halfOpenAfterMs,
      breaker: new SamplingBreaker({
        threshold: this.settings.threshold,
        duration: this.settings.windowMs,
        minimumRps: this.settings.minimumCalls / (this.settings.windowMs / 1000),
      }),
      ...(initialState ? { initialState } : {}),
    });
  }

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const stored = await this.store.read(this.provider);
    const policy = this.policy(stored?.state);
    let result: Result;
    try {
      result = { ok: true, value: await policy.execute(() => fn()) };
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new BreakerOpenError(this.retryAfterMs(stored?.state));
      result = { ok: false, error };
    }
    await this.persist(policy, stored?.version ?? 0, result);
    if (result.ok) return result.value as T;
    throw result.error;
  }

  private async persist(policy: CircuitBreakerPolicy, version: number, result: Result): Promise<void> {
    let current = policy;
    let at = version;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const state = current.toJSON();
      if (await this.store.write(this.provider, state, at, this.summarise(state))) return;
      if (attempt === WRITE_ATTEMPTS) return;
      const fresh = await this.store.read(this.provider);
      current = this.policy(fresh?.state);
      at = fresh?.version ?? 0;
      try {
        await current.execute(async () => {
          if (!result.ok) throw result.error;
        });
      } catch {
        // The replayed failure (or an open breaker, which records nothing) — the state is what to write.
      }
    }
  }

  private retryAfterMs(state: unknown): number {
    const openedAt = (state as Serialised | undefined)?.ownState?.openedAt ?? 0;
    return Math.max(0, openedAt + this.settings.halfOpenAfterMs - this.now());
  }

  /** The health route's view of a serialised state: closed, open or half-open, and the window's failure rate. */
  summarise(state: unknown): BreakerSummary {
    const s = (state ?? {}) as Serialised;
    const value = s.ownState?.value ?? CircuitState.Closed;
    const openedAt = s.ownState?.openedAt ?? 0;
    const since = this.now() - this.settings.windowMs;
    let failures = 0;
    let calls = 0;
    for (const w of s.breakerState?.windows ?? [])
      if (w.startedAt >= since) {
        failures += w.failures;
        calls += w.failures + w.successes;
      }
    const failureRate = calls === 0 ? 0 : failures / calls;
    if (value === CircuitState.Open || value === CircuitState.Isolated) {
      const openUntilMs = openedAt + this.settings.halfOpenAfterMs;
      // Past its break, the next call is the half-open test.
      return { breaker: openUntilMs > this.now() ? 'open' : 'half-open', failureRate, openUntilMs };
    }
    if (value === CircuitState.HalfOpen) return { breaker: 'half-open', failureRate };
    return { breaker: 'closed', failureRate };
  }

  async summary(): Promise<BreakerSummary> {
    return this.summarise((await this.store.read(this.provider))?.state);
  }
}
