/** The median with the spread of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every value, in run order. */
  values: number[];
}

/** Median, min and max of `values` (NaN when empty). */
export function spread(values: number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, values };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, values };
}

/** The value below which `q` (0..1) of the sorted samples lie (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Summarises latency samples (milliseconds); sorts `samples` in place. */
export function summarizeLatency(samples: Float64Array): LatencySummary {
  samples.sort();
  let sum = 0;
  for (const sample of samples) sum += sample;
  return {
    count: samples.length,
    mean: samples.length === 0 ? Number.NaN : sum / samples.length,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    p999: quantile(samples, 0.999),
    max: samples.length === 0 ? Number.NaN : (samples[samples.length - 1] as number),
  };
}
