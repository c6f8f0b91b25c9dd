/** Which way a metric is better. */
export type Better = 'lower' | 'higher';

/** One number a scenario measured for one target in one repetition. */
export interface Measurement {
  /** Stable key, e.g. `latency.1000.p99`. */
  key: string;
  /** Scenario heading in the table, e.g. `(c) latency, 1k msg/s`. */
  scenario: string;
  /** Metric name in the table. */
  label: string;
  unit: string;
  better: Better;
  value: number;
}

/** Builds measurements of one scenario. */
export function measurer(scenario: string, keyPrefix: string) {
  const out: Measurement[] = [];
  return {
    add(key: string, label: string, unit: string, better: Better, value: number): void {
      out.push({ key: `${keyPrefix}.${key}`, scenario, label, unit, better, value });
    },
    get list(): Measurement[] {
      return out;
    },
  };
}
