import { sleep } from '../clock.js';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { spread } from '../stats.js';
import type { RunningTarget } from '../targets/target.js';
import { waitDrained } from '../wait-drained.js';
import type { LoadgenStats } from './latency.js';

/**
 * (d) Broadcast: one message to every one of the N connected sockets (Postbode: `to.all`,
 * the site's room), `times` times; the time until the last socket has it (median of the
 * broadcasts) and the median socket's.
 */
export async function broadcast(
  harness: Harness,
  server: RunningTarget,
  users: number,
  times: number,
): Promise<Measurement[]> {
  const m = measurer(`(d) broadcast to N = ${users}`, 'broadcast');
  const last: number[] = [];
  const middle: number[] = [];
  let missing = 0;
  for (let i = 0; i < times; i++) {
    await harness.loadgen.call('reset', { mode: 'latency', progressEveryMs: 0, capacity: users });
    await harness.publisher.call('broadcast');
    const received = await waitDrained(harness, users, 2_000);
    const stats = await harness.loadgen.call<LoadgenStats>('stats');
    missing += users - received;
    last.push(stats.latency?.max ?? Number.NaN);
    middle.push(stats.latency?.p50 ?? Number.NaN);
    await sleep(200);
  }
  void server;
  m.add('lastMs', 'time until the last socket has it', 'ms', 'lower', spread(last).median);
  m.add('p50Ms', 'time until half have it', 'ms', 'lower', spread(middle).median);
  m.add('missing', 'sockets that missed it', 'count', 'lower', missing);
  return m.list;
}
