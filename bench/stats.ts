/** Latency summaries from raw samples (milliseconds). */
export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly perSecond: number;
}

export function summarise(samples: number[], durationMs: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    mean,
    perSecond: (sorted.length / durationMs) * 1000,
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** Runs `task` from `connections` concurrent loops for `durationMs`, timing each call. */
export async function closedLoop(
  connections: number,
  durationMs: number,
  task: (i: number) => Promise<void>,
) {
  const samples: number[] = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await task(n++);
        samples.push(performance.now() - t);
      }
    }),
  );
  return summarise(samples, performance.now() - started);
}
