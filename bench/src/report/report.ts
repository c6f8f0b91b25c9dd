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
    /** Where Redis ran when pinned; absent in reports before 2026-12-01 (`load`). */
    redisCore?: 'server' | 'load';
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  /** Loopback echo between the two cores, at the start and the end of the run. */
  calibration: { start: Calibration; end: Calibration };
  /** `variantOf`: the target whose server this one is, fed another way (its ratios are to it). */
  targets: Array<{ id: string; label: string; versions: string; variantOf?: string }>;
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

/**
 * `target ÷ reference` of one metric, repetition by repetition (the two ran next to each other
 * in each), with the median and spread of those ratios.
 */
export function pairedRatio(
  runs: BenchReport['runs'],
  key: string,
  target: string,
  reference: string,
): Spread {
  const byRepetition = new Map<number, { target?: number; reference?: number }>();
  for (const run of runs) {
    if (run.key !== key || (run.target !== target && run.target !== reference)) continue;
    const pair = byRepetition.get(run.repetition) ?? {};
    if (run.target === target) pair.target = run.value;
    else pair.reference = run.value;
    byRepetition.set(run.repetition, pair);
  }
  const ratios: number[] = [];
  for (const [, pair] of [...byRepetition].sort((a, b) => a[0] - b[0])) {
    if (pair.target !== undefined && pair.reference !== undefined && pair.reference !== 0) {
      ratios.push(pair.target / pair.reference);
    }
  }
  return spread(ratios);
}
