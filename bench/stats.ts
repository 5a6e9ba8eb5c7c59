// What every benchmark reports: a row per measurement, with its peer in the same run.
export interface BenchRow {
  name: string;
  median: number;
  p90: number;
  unit: string;
  /** The measurement it is compared with, if any (same run). */
  peer?: string;
  note?: string;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns median and p90 in ms. */
export async function timeIt(fn: () => unknown, runs: number, warmup = 2): Promise<{ median: number; p90: number; samples: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), samples };
}
