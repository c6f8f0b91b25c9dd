/**
 * The clock every bench process reads: milliseconds since the epoch with sub-millisecond
 * resolution. `performance.timeOrigin` is taken from the same wall clock in each process, so
 * the publisher's stamp and the load generator's receive time are comparable on one machine.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
