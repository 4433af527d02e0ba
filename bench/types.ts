export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<Figure[]>;
}

/** Nearest-rank percentile of a list of samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
