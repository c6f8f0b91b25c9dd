import type { HistoryMemoryParameters } from './scenarios/history-memory.js';
import type { HostileEnvelopeParameters } from './scenarios/hostile-envelope.js';
import type { LegacyParameters } from './scenarios/legacy.js';
import type { ReceiptParameters } from './scenarios/receipts.js';
import type { ResumeParameters } from './scenarios/reconnect-storm.js';
import type { SessionParameters } from './scenarios/session.js';
import type { UnboundedParameters } from './scenarios/unbounded.js';

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
  /** (f) */
  unbounded: UnboundedParameters;
  /** (g) */
  resume: ResumeParameters;
  /** (h) */
  historyMemory: HistoryMemoryParameters;
  /** (i) */
  hostileEnvelope: HostileEnvelopeParameters;
  /** (j) */
  receipts: ReceiptParameters;
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
  unbounded: { users: 500, count: 600_000, durationMs: 20_000, drainMs: 60_000 },
  resume: { users: 10_000, rate: 1_000, killAfterMs: 3_000, tailMs: 1_000, timeoutMs: 60_000 },
  historyMemory: { messages: 100_000, users: 5_000 },
  hostileEnvelope: { ids: 200_000, rejections: 5 },
  receipts: { count: 4_000, perConversation: 20, httpConcurrency: 16, fpmWorkers: 4, batch: 100 },
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
  unbounded: { users: 500, count: 50_000, durationMs: 3_000, drainMs: 15_000 },
  resume: { users: 1_000, rate: 500, killAfterMs: 1_000, tailMs: 500, timeoutMs: 30_000 },
  historyMemory: { messages: 20_000, users: 1_000 },
  hostileEnvelope: { ids: 200_000, rejections: 3 },
  receipts: { count: 1_000, perConversation: 20, httpConcurrency: 16, fpmWorkers: 4, batch: 100 },
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
  unbounded: { users: 50, count: 2_000, durationMs: 1_000, drainMs: 5_000 },
  resume: { users: 50, rate: 100, killAfterMs: 300, tailMs: 200, timeoutMs: 10_000 },
  historyMemory: { messages: 1_000, users: 50 },
  hostileEnvelope: { ids: 1_000, rejections: 1 },
  receipts: { count: 40, perConversation: 20, httpConcurrency: 4, fpmWorkers: 2, batch: 100 },
  calibrationMs: 200,
};
