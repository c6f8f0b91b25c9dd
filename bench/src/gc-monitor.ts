import { PerformanceObserver } from 'node:perf_hooks';

/** Garbage-collection pauses seen since the last reset. */
export interface GcPauses {
  count: number;
  /** Sum of pauses, ms. */
  totalMs: number;
  /** Longest pause, ms. */
  maxMs: number;
  /** Pauses of 10 ms or more. */
  over10ms: number;
}

/** Watches this process's GC pauses (V8 reports each one as a `gc` performance entry). */
export interface GcMonitor {
  /** Pauses since the last reset; `reset` starts a new window. */
  read(reset?: boolean): GcPauses;
}

/** Starts watching GC pauses; the observer lives as long as the process. */
export function startGcMonitor(): GcMonitor {
  let pauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0, over10ms: 0 };
  // Entries arrive asynchronously: one that started before the last reset belongs to the
  // previous window (a GC forced right before the reset, for instance).
  let since = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < since) continue;
      pauses.count += 1;
      pauses.totalMs += entry.duration;
      if (entry.duration > pauses.maxMs) pauses.maxMs = entry.duration;
      if (entry.duration >= 10) pauses.over10ms += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read(reset = false) {
      const current = pauses;
      if (reset) {
        pauses = { count: 0, totalMs: 0, maxMs: 0, over10ms: 0 };
        since = performance.now();
      }
      return { ...current };
    },
  };
}
