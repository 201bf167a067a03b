// Summaries of latency samples: nearest-rank percentiles, in milliseconds.

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: number[]): Summary {
  const mean = samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
  return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean };
}

export const median = (samples: number[]): number => percentile(samples, 50);
