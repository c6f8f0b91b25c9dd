import type { Harness } from '../harness.js';
import type { LoadGenerator } from '../loadgen/load-generator.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds } from '../proc-stat.js';
import type { Target } from '../targets/target.js';
import { connectClients } from './connect-clients.js';

/**
 * (a) Connection storm: a fresh server, `count` clients connect and authenticate (or
 * subscribe) with at most 500 handshakes in flight. Time until all are ready, failures, server
 * CPU per connection, and memory per socket after a forced GC (RSS and heap, against the same
 * server's memory before the storm). Also the CPU per connection of Redis and of the load
 * generator, which share the other core: a server that makes Redis work at connect (Postbode's
 * presence, contract 7) slows the generator down, and the storm's time shows it.
 */
export async function connectStorm(
  harness: Harness,
  target: Target,
  count: number,
  generator: LoadGenerator = 'ws',
): Promise<Measurement[]> {
  const m =
    generator === 'ws'
      ? measurer(`(a) connect storm, N = ${count}`, `storm.${count}`)
      : measurer(`(a2) connect storm, socket.io-client, N = ${count}`, `storm-sioc.${count}`);
  const server = await target.start(harness.context);
  try {
    const before = await server.probe.memory();
    const cpuBefore = cpuSeconds(server.pid);
    const redisBefore = cpuSeconds(harness.redisPid);
    const loadgenBefore = cpuSeconds(harness.loadgenPid);
    const result = await connectClients(harness, target, server, count, generator);
    const cpuAfter = cpuSeconds(server.pid);
    const redisAfter = cpuSeconds(harness.redisPid);
    const loadgenAfter = cpuSeconds(harness.loadgenPid);
    const after = await server.probe.memory();
    const sockets = Math.max(1, result.ok);
    m.add('readyMs', 'time until all ready', 'ms', 'lower', result.ms);
    m.add('failed', 'failed connections', 'count', 'lower', result.failed);
    m.add(
      'cpuMsPerConn',
      'server CPU per connection',
      'ms',
      'lower',
      ((cpuAfter - cpuBefore) * 1000) / sockets,
    );
    m.add(
      'redisCpuMsPerConn',
      'Redis CPU per connection',
      'ms',
      'lower',
      ((redisAfter - redisBefore) * 1000) / sockets,
    );
    m.add(
      'loadgenCpuMsPerConn',
      'load generator CPU per connection',
      'ms',
      'lower',
      ((loadgenAfter - loadgenBefore) * 1000) / sockets,
    );
    m.add(
      'rssPerSocket',
      'RSS per socket (after GC)',
      'KiB',
      'lower',
      (after.rss - before.rss) / sockets / 1024,
    );
    m.add(
      'heapPerSocket',
      'heap per socket (after GC)',
      'KiB',
      'lower',
      (after.heapUsed - before.heapUsed) / sockets / 1024,
    );
    m.add('rss', 'server RSS with N sockets', 'MiB', 'lower', after.rss / 1024 / 1024);
    return m.list;
  } finally {
    await harness.loadgen.call('disconnect');
    await server.stop();
  }
}
