import type { Calibration } from '../calibration/calibrate.js';
import type { Better, Measurement } from '../measurement.js';
import { type Spread, spread } from '../stats.js';

/** The JSON report of a run (`bench/results/<name>.json`). */
export interface BenchReport {
  schema: 1;
  parameters: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    kernel: string;
    node: string;
    pinned: boolean;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  /** Loopback echo between the two cores, at the start and the end of the run. */
  calibration: { start: Calibration; end: Calibration };
  targets: Array<{ id: string; label: string; versions: string }>;
  settings: unknown;
  /** Every measurement of every repetition. */
  runs: Array<Measurement & { target: string; repetition: number }>;
  /** Medians with min–max over the repetitions, per metric and target. */
  summary: SummaryRow[];
  /** Targets or scenarios that could not run, and why. */
  errors: string[];
}

/** One metric across targets. */
export interface SummaryRow {
  key: string;
  scenario: string;
  label: string;
  unit: string;
  better: Better;
  byTarget: Record<string, Spread>;
}

/** Groups the runs' measurements by metric and target. */
export function summarize(runs: BenchReport['runs']): SummaryRow[] {
  const rows = new Map<string, SummaryRow & { values: Record<string, number[]> }>();
  for (const run of runs) {
    let row = rows.get(run.key);
    if (row === undefined) {
      row = {
        key: run.key,
        scenario: run.scenario,
        label: run.label,
        unit: run.unit,
        better: run.better,
        byTarget: {},
        values: {},
      };
      rows.set(run.key, row);
    }
    const list = row.values[run.target] ?? [];
    list.push(run.value);
    row.values[run.target] = list;
  }
  return [...rows.values()].map(({ values, ...row }) => ({
    ...row,
    byTarget: Object.fromEntries(Object.entries(values).map(([id, list]) => [id, spread(list)])),
  }));
}
