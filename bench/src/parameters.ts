import type { LegacyParameters } from './scenarios/legacy.js';
import type { SessionParameters } from './scenarios/session.js';

/** Everything a run is parameterised by; the same for every target. */
export interface BenchParameters {
  /** `full`, `quick` or `smoke`. */
  name: string;
  repetitions: number;
  /** (a) connection storm sizes. */
  stormSizes: number[];
  /** (b)–(d) */
  session: SessionParameters;
  /** (e) */
  legacy: LegacyParameters;
  /** Calibration at start and end, ms each. */
  calibrationMs: number;
}

/** The full run: the parameters, 3 repetitions (under 20 minutes). */
export const FULL: BenchParameters = {
  name: 'full',
  repetitions: 3,
  stormSizes: [1_000, 5_000, 10_000, 19_000],
  session: {
    users: 5_000,
    latencyRates: [1_000, 5_000],
    durationMs: 10_000,
    broadcasts: 5,
    window: 4_000,
    idleMs: 2_000,
  },
  legacy: { users: 1_000, rate: 20, durationMs: 10_000, pollIntervalMs: 2_000 },
  calibrationMs: 3_000,
};

/** `--quick`: every scenario once, small and short (under 2 minutes). */
export const QUICK: BenchParameters = {
  name: 'quick',
  repetitions: 1,
  stormSizes: [1_000],
  session: {
    users: 1_000,
    latencyRates: [1_000],
    durationMs: 3_000,
    broadcasts: 2,
    window: 2_000,
    idleMs: 1_000,
  },
  legacy: { users: 200, rate: 50, durationMs: 4_000, pollIntervalMs: 2_000 },
  calibrationMs: 1_000,
};

/** The smoke test's run: tiny, proves the harness works end to end. */
export const SMOKE: BenchParameters = {
  name: 'smoke',
  repetitions: 1,
  stormSizes: [50],
  session: {
    users: 50,
    latencyRates: [200],
    durationMs: 500,
    broadcasts: 1,
    window: 200,
    idleMs: 200,
  },
  legacy: { users: 20, rate: 20, durationMs: 500, pollIntervalMs: 500 },
  calibrationMs: 200,
};
