import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import type { ProbeGc } from '../probe/probe-client.js';
import { cpuSeconds, runQueueWaitSeconds } from '../proc-stat.js';
import type { LatencySummary } from '../stats.js';
import type { RunningTarget } from '../targets/target.js';
import { waitDrained } from '../wait-drained.js';

/** Load generator stats in latency mode. */
export interface LoadgenStats {
  received: number;
  latency?: LatencySummary;
  gc: ProbeGc;
}

/** A rate as the scenarios' titles write it: `200`, `1k`, `5k`. */
export function rateLabel(rate: number): string {
  return rate >= 1000 ? `${rate / 1000}k` : String(rate);
}

/**
 * (c) Latency: N clients connected, messages to random users at a fixed `rate` for
 * `durationMs`; publish-to-receive percentiles, with both sides' GC pauses beside them.
 */
export async function latency(
  harness: Harness,
  server: RunningTarget,
  users: number,
  rate: number,
  durationMs: number,
): Promise<Measurement[]> {
  const m = measurer(`(c) latency, N = ${users}, ${rateLabel(rate)} msg/s`, `latency.${rate}`);
  const capacity = Math.ceil((rate * durationMs) / 1000) + 10_000;
  // Every target starts the window from a collected heap.
  await server.probe.memory();
  await harness.loadgen.call('reset', { mode: 'latency', progressEveryMs: 0, capacity });
  await server.probe.gc(true);
  // Who waited for a CPU during the window: the server, and the three processes on the load
  // core (Redis, the publisher, the load generator), each message passes through all four.
  const waiting = {
    server: server.pid,
    redis: harness.redisPid,
    publisher: harness.publisherPid,
    loadgen: harness.loadgenPid,
  };
  const waitBefore = Object.fromEntries(
    Object.entries(waiting).map(([name, pid]) => [name, runQueueWaitSeconds(pid)]),
  );
  const started = performance.now();
  const cpuBefore = cpuSeconds(server.pid);
  const redisBefore = cpuSeconds(harness.redisPid);
  const { published } = await harness.publisher.call<{ published: number }>('rate', {
    users,
    rate,
    durationMs,
  });
  const received = await waitDrained(harness, published);
  const cpuAfter = cpuSeconds(server.pid);
  const redisAfter = cpuSeconds(harness.redisPid);
  const seconds = (performance.now() - started) / 1000;
  const waited = (name: keyof typeof waiting): number =>
    ((runQueueWaitSeconds(waiting[name]) - (waitBefore[name] as number)) * 1000) / seconds;
  const stats = await harness.loadgen.call<LoadgenStats>('stats');
  const serverGc = await server.probe.gc();
  const summary = stats.latency as LatencySummary;
  m.add('p50', 'p50 publish→receive', 'ms', 'lower', summary.p50);
  m.add('p99', 'p99', 'ms', 'lower', summary.p99);
  m.add('p999', 'p99.9', 'ms', 'lower', summary.p999);
  m.add('max', 'max', 'ms', 'lower', summary.max);
  m.add('lost', 'lost (published − received)', 'count', 'lower', published - received);
  m.add(
    'cpuMsPer1k',
    'server CPU per 1k delivered',
    'ms',
    'lower',
    ((cpuAfter - cpuBefore) * 1e6) / Math.max(1, received),
  );
  m.add(
    'redisCpuMsPer1k',
    'Redis CPU per 1k published',
    'ms',
    'lower',
    ((redisAfter - redisBefore) * 1e6) / Math.max(1, published),
  );
  m.add('serverGcMax', 'server GC: longest pause', 'ms', 'lower', serverGc.maxMs);
  m.add('serverGcTotal', 'server GC: pauses summed', 'ms', 'lower', serverGc.totalMs);
  m.add('loadgenGcMax', 'load generator GC: longest pause', 'ms', 'lower', stats.gc.maxMs);
  const queue = 'waiting for a CPU (run queue), ms per second';
  m.add('waitServer', `server ${queue}`, 'ms/s', 'lower', waited('server'));
  m.add('waitRedis', `Redis ${queue}`, 'ms/s', 'lower', waited('redis'));
  m.add('waitPublisher', `publisher ${queue}`, 'ms/s', 'lower', waited('publisher'));
  m.add('waitLoadgen', `load generator ${queue}`, 'ms/s', 'lower', waited('loadgen'));
  return m.list;
}
