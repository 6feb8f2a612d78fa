import type { BreakerSummary, SharedBreaker } from '../ports';

export interface HealthDeps {
  readonly breaker: Pick<SharedBreaker, 'summary'>;
  /** Messages waiting (visible, in flight and delayed) in the payment queue, and in its DLQ. */
  readonly depths: () => Promise<{ readonly queueDepth: number; readonly dlqDepth: number }>;
}

export async function providerHealth(deps: HealthDeps) {
  const [summary, depths]: [BreakerSummary, { queueDepth: number; dlqDepth: number }] = await Promise.all([
    deps.breaker.summary(),
    deps.depths(),
  ]);
  return {
    breaker: summary.breaker,
    failureRate: Math.round(summary.failureRate * 1000) / 1000,
    queueDepth: depths.queueDepth,
    dlqDepth: depths.dlqDepth,
  };
}
