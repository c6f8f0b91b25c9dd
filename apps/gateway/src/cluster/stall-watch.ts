import type { Worker } from 'node:cluster';
import { HEARTBEAT_INTERVAL_MS } from './run-worker.js';

/** A ready worker silent for longer than this is stalled (stopped, or its loop blocked), in ms. */
export const STALLED_AFTER_MS = 5 * HEARTBEAT_INTERVAL_MS;

/**
 * Added to a stalled worker's session count, which @socket.io/sticky's least-connection choice
 * reads (`clientsCount`): it is chosen for a new session only when no other worker can be.
 * Added and taken off again rather than set, so the sessions sticky counts meanwhile (its own
 * `+1` and `-1`) stay right.
 */
const STALLED_WEIGHT = 1e9;

/** A worker with what sticky reads and the primary writes of it: its count of sessions. */
export type CountedWorker = Worker & { clientsCount?: number };

/** Options of {@link createStallWatch}. */
export interface StallWatchOptions {
  /** Called when a worker has been silent for {@link STALLED_AFTER_MS}. */
  onStalled(worker: Worker, silentMs: number): void;
  /** Called when a stalled worker is heard from again. */
  onResumed(worker: Worker, stalledMs: number): void;
}

/** Which ready workers still answer (see `run-worker.ts` `announceReady`). */
export interface StallWatch {
  /** Anything heard from a worker: it runs. */
  heard(worker: Worker, now?: number): void;
  /**
   * Marks the workers among `workers` not heard from for {@link STALLED_AFTER_MS}; called every
   * {@link HEARTBEAT_INTERVAL_MS}.
   */
  sweep(workers: Iterable<Worker>, now?: number): void;
  isStalled(worker: Worker): boolean;
  /** The worker is gone. */
  forget(worker: Worker): void;
}

/**
 * A stopped (SIGSTOP) or blocked worker keeps its place in `cluster.workers` and its session
 * count: sticky would keep sending it every new session while it has the fewest, and each of
 * those clients would wait for an answer that does not come. The primary hears from every ready
 * worker every second; one silent for {@link STALLED_AFTER_MS} is passed over for new sessions
 * until it is heard from again. Its own sessions stay where they are (their clients' pings
 * decide).
 */
export function createStallWatch(options: StallWatchOptions): StallWatch {
  const lastHeard = new Map<Worker, number>();
  const stalledSince = new Map<Worker, number>();
  let lastSweep: number | undefined;
  return {
    heard(worker, now = Date.now()) {
      lastHeard.set(worker, now);
      const since = stalledSince.get(worker);
      if (since === undefined) return;
      stalledSince.delete(worker);
      (worker as CountedWorker).clientsCount =
        ((worker as CountedWorker).clientsCount ?? 0) - STALLED_WEIGHT;
      options.onResumed(worker, now - since);
    },
    sweep(workers, now = Date.now()) {
      // The primary itself was held up (stopped, or its loop blocked): the workers' messages of
      // that time are still unread. The next sweep, after they are, decides.
      const late = lastSweep !== undefined && now - lastSweep > 2 * HEARTBEAT_INTERVAL_MS;
      lastSweep = now;
      if (late) return;
      for (const worker of workers) {
        if (stalledSince.has(worker)) continue;
        const silentMs = now - (lastHeard.get(worker) ?? now);
        if (silentMs <= STALLED_AFTER_MS) continue;
        stalledSince.set(worker, now);
        (worker as CountedWorker).clientsCount =
          ((worker as CountedWorker).clientsCount ?? 0) + STALLED_WEIGHT;
        options.onStalled(worker, silentMs);
      }
    },
    isStalled: (worker) => stalledSince.has(worker),
    forget(worker) {
      lastHeard.delete(worker);
      stalledSince.delete(worker);
    },
  };
}
