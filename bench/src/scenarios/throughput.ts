import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds, cpuSplit, voluntarySwitches, writeCalls } from '../proc-stat.js';
import type { RunningTarget } from '../targets/target.js';
import { waitDrained } from '../wait-drained.js';
import type { LoadgenStats } from './latency.js';

/**
 * (b) Direct-message throughput: N clients connected, each message to one random user,
 * published as fast as Redis takes it for `durationMs` with at most `window` in flight.
 * Delivered messages per second, delivered/published, and server CPU per 1k delivered.
 */
export async function throughput(
  harness: Harness,
  server: RunningTarget,
  users: number,
  durationMs: number,
  window: number,
  /** Server CPU with the clients connected and no messages, CPU-ms per second. */
  idleCpuMsPerSecond = 0,
): Promise<Measurement[]> {
  const m = measurer(`(b) direct-message throughput, N = ${users}`, 'throughput');
  await server.probe.memory();
  await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 5, capacity: 0 });
  await server.probe.gc(true);
  // One read of /proc/<pid>/stat per point: the total is the sum of its two parts.
  const splitBefore = cpuSplit(server.pid);
  const writesBefore = writeCalls(server.pid);
  const sleepsBefore = voluntarySwitches(server.pid);
  const wallBefore = performance.now();
  const redisBefore = cpuSeconds(harness.redisPid);
  const run = await harness.publisher.call<{ published: number; ms: number }>('throughput', {
    users,
    durationMs,
    window,
  });
  const inWindow = (await harness.loadgen.call<{ received: number }>('received')).received;
  const received = await waitDrained(harness, run.published);
  const splitAfter = cpuSplit(server.pid);
  const writesAfter = writeCalls(server.pid);
  const sleepsAfter = voluntarySwitches(server.pid);
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const redisAfter = cpuSeconds(harness.redisPid);
  const stats = await harness.loadgen.call<LoadgenStats>('stats');
  await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 0, capacity: 0 });
  const serverGc = await server.probe.gc();
  const cpuBefore = splitBefore.user + splitBefore.system;
  const cpuAfter = splitAfter.user + splitAfter.system;
  m.add('perSecond', 'delivered msg/s', 'msg/s', 'higher', inWindow / (run.ms / 1000));
  m.add('ratio', 'delivered / published', 'ratio', 'higher', received / Math.max(1, run.published));
  m.add(
    'cpuMsPer1k',
    'server CPU per 1k delivered',
    'ms',
    'lower',
    ((cpuAfter - cpuBefore) * 1e6) / Math.max(1, received),
  );
  const seconds = run.ms / 1000;
  const net = (cpuAfter - cpuBefore) * 1000 - idleCpuMsPerSecond * seconds;
  m.add(
    'cpuMsPer1kNet',
    'server CPU per 1k delivered, less idle CPU',
    'ms',
    'lower',
    (net * 1000) / Math.max(1, received),
  );
  // Where the server's CPU went: its own code, or the kernel (on loopback a TCP write carries
  // the receiving side too), and how many write calls it made per delivered message (a call
  // per message, or fewer when writes to one socket were gathered).
  m.add(
    'systemCpuMsPer1k',
    'server CPU per 1k delivered: kernel (system) part',
    'ms',
    'lower',
    ((splitAfter.system - splitBefore.system) * 1e6) / Math.max(1, received),
  );
  m.add(
    'writeCallsPerMessage',
    'server write system calls per delivered message',
    'ratio',
    'lower',
    (writesAfter - writesBefore) / Math.max(1, received),
  );
  // How many messages each wake-up of the server's event loop carried: a server with CPU to
  // spare sleeps between smaller batches and pays the wake-up (epoll, the Redis read, the tick
  // queue) over fewer messages than one that is always busy.
  m.add(
    'messagesPerWakeup',
    'delivered messages per wake-up of the server (main thread)',
    'ratio',
    'higher',
    received / Math.max(1, sleepsAfter - sleepsBefore),
  );
  m.add(
    'busyShare',
    'server CPU (all its threads) / wall time, publishing until drained',
    'ratio',
    'lower',
    (cpuAfter - cpuBefore) / Math.max(0.001, wallSeconds),
  );
  m.add(
    'redisCpuMsPer1k',
    'Redis CPU per 1k published',
    'ms',
    'lower',
    ((redisAfter - redisBefore) * 1e6) / Math.max(1, run.published),
  );
  m.add('serverGcTotal', 'server GC: pauses summed', 'ms', 'lower', serverGc.totalMs);
  m.add('loadgenGcTotal', 'load generator GC: pauses summed', 'ms', 'lower', stats.gc.totalMs);
  return m.list;
}
