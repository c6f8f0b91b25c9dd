import { now, sleep } from '../clock.js';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds } from '../proc-stat.js';
import type { RunningTarget, Target } from '../targets/target.js';
import { broadcast } from './broadcast.js';
import { connectClients } from './connect-clients.js';
import { latency } from './latency.js';
import { throughput } from './throughput.js';

/** Parameters of the scenarios that share one set of N connected clients. */
export interface SessionParameters {
  users: number;
  latencyRates: number[];
  durationMs: number;
  broadcasts: number;
  window: number;
  /** How long to measure the server's CPU with the clients connected and idle, ms. */
  idleMs: number;
}

/** Server CPU with no messages flowing (ping timers and the like), CPU-ms per second. */
async function idleCpu(server: RunningTarget, ms: number): Promise<number> {
  if (ms <= 0) return 0;
  await server.probe.memory();
  const before = cpuSeconds(server.pid);
  const started = now();
  await sleep(ms);
  return ((cpuSeconds(server.pid) - before) * 1e6) / (now() - started);
}

/**
 * (b)–(d) on one fresh server with N clients connected: latency at each fixed rate first
 * (a quiet heap), then the broadcasts, then throughput at the limit.
 */
export async function session(
  harness: Harness,
  target: Target,
  parameters: SessionParameters,
): Promise<Measurement[]> {
  const { users } = parameters;
  await harness.useWire(target.wire);
  const server = await target.start(harness.context);
  try {
    const connected = await connectClients(harness, target, server, users);
    if (connected.failed > 0) {
      throw new Error(
        `${target.id}: ${connected.failed} of ${users} clients failed to connect: ${connected.firstError}`,
      );
    }
    const out: Measurement[] = [];
    const idle = await idleCpu(server, parameters.idleMs);
    const m = measurer(`(b) direct-message throughput, N = ${users}`, 'throughput');
    m.add('idleCpu', 'server CPU while idle with N sockets', 'ms/s', 'lower', idle);
    for (const rate of parameters.latencyRates) {
      out.push(...(await latency(harness, server, users, rate, parameters.durationMs)));
    }
    out.push(...(await broadcast(harness, server, users, parameters.broadcasts)));
    out.push(
      ...(await throughput(harness, server, users, parameters.durationMs, parameters.window, idle)),
    );
    const memory = await server.probe.memory();
    m.add(
      'rssAfter',
      'server RSS after the session (after GC)',
      'MiB',
      'lower',
      memory.rss / 1024 / 1024,
    );
    return [...out, ...m.list];
  } finally {
    await harness.loadgen.call('disconnect');
    await server.stop();
  }
}
