import { sleep } from './clock.js';
import type { Harness } from './harness.js';

/**
 * Waits until the load generator has received `expected` events, or nothing arrived for
 * `quietMs`, or `timeoutMs` passed; returns the count received.
 */
export async function waitDrained(
  harness: Harness,
  expected: number,
  quietMs = 1_000,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { received } = await harness.loadgen.call<{ received: number }>('received');
    if (received >= expected) return received;
    if (received !== last) {
      last = received;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > quietMs || Date.now() > deadline) return received;
    await sleep(20);
  }
}
