import { now, sleep } from '../clock.js';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds } from '../proc-stat.js';
import { pollingTarget } from '../targets/polling.js';
import type { Target } from '../targets/target.js';
import { waitDrained } from '../wait-drained.js';
import { connectClients } from './connect-clients.js';
import type { LoadgenStats } from './latency.js';

/** Parameters of the legacy scenario. */
export interface LegacyParameters {
  users: number;
  /** Messages per second across all users (the original system's load). */
  rate: number;
  durationMs: number;
  pollIntervalMs: number;
}

const SCENARIO = '(e) legacy: polling vs push';

function report(
  id: string,
  cpu: number,
  redisCpu: number,
  seconds: number,
  stats: LoadgenStats,
  published: number,
): Measurement[] {
  const m = measurer(SCENARIO, `legacy.${id}`);
  m.add('cpuPerMinute', `${id}: server CPU per minute`, 's', 'lower', (cpu / seconds) * 60);
  m.add(
    'redisCpuPerMinute',
    `${id}: Redis CPU per minute`,
    's',
    'lower',
    (redisCpu / seconds) * 60,
  );
  m.add(
    'meanDelay',
    `${id}: mean delivery delay`,
    'ms',
    'lower',
    stats.latency?.mean ?? Number.NaN,
  );
  m.add('p99Delay', `${id}: p99 delivery delay`, 'ms', 'lower', stats.latency?.p99 ?? Number.NaN);
  m.add(
    'delivered',
    `${id}: delivered / published`,
    'ratio',
    'higher',
    stats.received / Math.max(1, published),
  );
  return m.list;
}

/**
 * (e) The original system's load, twice: `users` browsers polling `GET /poll` every 2 s, and
 * the same users on Postbode; the same stream of messages to random users. Server CPU per
 * minute (and Redis's, which both use) and the mean delay from publish to the browser.
 */
export async function legacy(
  harness: Harness,
  postbode: Target,
  parameters: LegacyParameters,
): Promise<Measurement[]> {
  const { users, rate, durationMs, pollIntervalMs } = parameters;
  const capacity = Math.ceil((rate * durationMs) / 1000) + 1000;
  const out: Measurement[] = [];

  // Polling: the browsers keep polling one interval past the last publish, to collect it.
  await harness.useWire(pollingTarget.wire);
  const poller = await pollingTarget.start(harness.context);
  try {
    await harness.loadgen.call('reset', { mode: 'latency', progressEveryMs: 0, capacity });
    const cpu0 = cpuSeconds(poller.pid);
    const redis0 = cpuSeconds(harness.redisPid);
    const started = now();
    const [, run] = await Promise.all([
      harness.loadgen.call('poll', {
        origin: poller.origin,
        users,
        intervalMs: pollIntervalMs,
        durationMs: durationMs + pollIntervalMs,
      }),
      harness.publisher.call<{ published: number }>('rate', { users, rate, durationMs }),
    ]);
    const seconds = (now() - started) / 1000;
    const cpu = cpuSeconds(poller.pid) - cpu0;
    const redisCpu = cpuSeconds(harness.redisPid) - redis0;
    const stats = await harness.loadgen.call<LoadgenStats>('stats');
    out.push(...report('polling', cpu, redisCpu, seconds, stats, run.published));
  } finally {
    await poller.stop();
  }

  // Push: the same users connected to Postbode, the same messages.
  await harness.useWire(postbode.wire);
  const server = await postbode.start(harness.context);
  try {
    await connectClients(harness, postbode, server, users);
    await harness.loadgen.call('reset', { mode: 'latency', progressEveryMs: 0, capacity });
    const cpu0 = cpuSeconds(server.pid);
    const redis0 = cpuSeconds(harness.redisPid);
    const started = now();
    const run = await harness.publisher.call<{ published: number }>('rate', {
      users,
      rate,
      durationMs,
    });
    await waitDrained(harness, run.published);
    // Measured over the same window as polling: the same messages, the same wall time.
    await sleep(Math.max(0, started + durationMs + pollIntervalMs - now()));
    const seconds = (now() - started) / 1000;
    const cpu = cpuSeconds(server.pid) - cpu0;
    const redisCpu = cpuSeconds(harness.redisPid) - redis0;
    const stats = await harness.loadgen.call<LoadgenStats>('stats');
    out.push(...report('postbode', cpu, redisCpu, seconds, stats, run.published));
  } finally {
    await harness.loadgen.call('disconnect');
    await server.stop();
  }
  return out;
}
