import type { Worker } from 'node:cluster';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_INTERVAL_MS } from '../src/cluster/run-worker.js';
import { createStallWatch, STALLED_AFTER_MS } from '../src/cluster/stall-watch.js';

// The primary's bookkeeping of silent workers (the processes: workers-process.test.ts, SIGSTOP).
// A worker here is what the watch reads of node:cluster's: sticky's session count.
type Counted = Worker & { clientsCount: number };
const worker = (clientsCount: number): Counted => ({ clientsCount }) as Counted;

function watch() {
  const events: string[] = [];
  const stall = createStallWatch({
    onStalled: (w, silentMs) => events.push(`stalled ${(w as Counted).clientsCount} ${silentMs}`),
    onResumed: (w, stalledMs) => events.push(`resumed ${(w as Counted).clientsCount} ${stalledMs}`),
  });
  return { stall, events };
}

describe('stall watch', () => {
  it('passes over a worker silent for longer than STALLED_AFTER_MS, keeping the sessions sticky counts meanwhile', () => {
    const { stall, events } = watch();
    const quiet = worker(3);
    const busy = worker(5);
    stall.heard(quiet, 0);
    stall.heard(busy, 0);
    for (let now = HEARTBEAT_INTERVAL_MS; now <= STALLED_AFTER_MS; now += HEARTBEAT_INTERVAL_MS) {
      stall.heard(busy, now);
      stall.sweep([quiet, busy], now);
    }
    expect(events).toEqual([]);
    const now = STALLED_AFTER_MS + HEARTBEAT_INTERVAL_MS;
    stall.heard(busy, now);
    stall.sweep([quiet, busy], now);
    expect(stall.isStalled(quiet)).toBe(true);
    expect(stall.isStalled(busy)).toBe(false);
    // Sticky's least-connection choice now takes the busier worker.
    expect(quiet.clientsCount).toBeGreaterThan(busy.clientsCount);
    // A session of the stalled worker ends meanwhile (sticky's own -1).
    quiet.clientsCount -= 1;
    stall.heard(quiet, now + 500);
    expect(stall.isStalled(quiet)).toBe(false);
    expect(quiet.clientsCount).toBe(2);
    expect(events).toEqual([`stalled ${3 + 1e9} ${now}`, 'resumed 2 500']);
  });

  it('marks nobody in a sweep that comes late (the primary itself was held up)', () => {
    const { stall, events } = watch();
    const w = worker(0);
    stall.heard(w, 0);
    stall.sweep([w], HEARTBEAT_INTERVAL_MS);
    // Stopped for 10 s: the worker's heartbeats of that time are still unread.
    stall.sweep([w], HEARTBEAT_INTERVAL_MS + 10_000);
    expect(stall.isStalled(w)).toBe(false);
    // Still silent at the next sweep on time: now it is.
    stall.sweep([w], 2 * HEARTBEAT_INTERVAL_MS + 10_000);
    expect(stall.isStalled(w)).toBe(true);
    expect(events).toHaveLength(1);
  });

  it('forgets a worker that is gone', () => {
    const { stall, events } = watch();
    const w = worker(0);
    stall.heard(w, 0);
    for (let now = HEARTBEAT_INTERVAL_MS; !stall.isStalled(w); now += HEARTBEAT_INTERVAL_MS) {
      stall.sweep([w], now);
    }
    stall.forget(w);
    expect(stall.isStalled(w)).toBe(false);
    stall.heard(w, 60_000);
    expect(events).toEqual([`stalled ${1e9} ${STALLED_AFTER_MS + HEARTBEAT_INTERVAL_MS}`]);
  });
});
