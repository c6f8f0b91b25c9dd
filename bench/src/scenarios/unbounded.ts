import { now } from '../clock.js';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds } from '../proc-stat.js';
import { gatewayDefault } from '../targets/postbode.js';
import type { Target } from '../targets/target.js';
import { waitDrained } from '../wait-drained.js';
import { connectClients } from './connect-clients.js';

/** The gateway's default POSTBODE_HISTORY_MAX_ENTRIES. */
const DEFAULT_MAX_ENTRIES = gatewayDefault('POSTBODE_HISTORY_MAX_ENTRIES');

/** Parameters of the unbounded-publishing scenario. */
export interface UnboundedParameters {
  users: number;
  /** Publishing stops after this many messages ... */
  count: number;
  /** ... or after this long, whichever comes first, ms. */
  durationMs: number;
  /** How long delivery may take after the last publish before what arrived is counted, ms. */
  drainMs: number;
}

/**
 * (f) Unbounded publishing: N clients on a fresh server, messages to random users published
 * as fast as Redis takes them with no window on delivery (a PHP backend does not wait for
 * browsers), bounded by count and time. Pub/sub servers that fall behind get dropped by Redis
 * (its output-buffer limit for subscribers) and lose what was published meanwhile; a node
 * reading the stream lags and catches up. Delivered ÷ published, and how long the catching up
 * took after the last publish.
 */
export async function unbounded(
  harness: Harness,
  target: Target,
  parameters: UnboundedParameters,
): Promise<Measurement[]> {
  const { users, count, durationMs, drainMs } = parameters;
  const m = measurer(`(f) unbounded publishing, N = ${users}`, 'unbounded');
  await harness.useWire(target.wire);
  // The whole burst fits in the stream's retention window: a node may lag by all of it.
  const server = await target.start({
    ...harness.context,
    gatewayEnv: { POSTBODE_HISTORY_MAX_ENTRIES: String(Math.max(DEFAULT_MAX_ENTRIES, count)) },
  });
  try {
    const connected = await connectClients(harness, target, server, users);
    if (connected.failed > 0) {
      throw new Error(
        `${target.id}: ${connected.failed} of ${users} clients failed to connect: ${connected.firstError}`,
      );
    }
    await server.probe.memory();
    await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 0, capacity: 0 });
    const cpuBefore = cpuSeconds(server.pid);
    const run = await harness.publisher.call<{ published: number; ms: number }>('unbounded', {
      users,
      count,
      durationMs,
    });
    const published = now();
    const atEnd = (await harness.loadgen.call<{ received: number }>('received')).received;
    const received = await waitDrained(harness, run.published, 2_000, drainMs);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    m.add('published', 'published', 'count', 'higher', run.published);
    m.add(
      'publishRate',
      'published msg/s (as fast as Redis takes it)',
      'msg/s',
      'higher',
      (run.published * 1000) / run.ms,
    );
    m.add(
      'ratio',
      'delivered / published',
      'ratio',
      'higher',
      received / Math.max(1, run.published),
    );
    m.add(
      'atEnd',
      'delivered / published when publishing ended',
      'ratio',
      'higher',
      atEnd / Math.max(1, run.published),
    );
    m.add(
      'drainMs',
      'delivery after the last publish',
      'ms',
      'lower',
      received >= run.published ? now() - published : Number.NaN,
    );
    m.add(
      'cpuMsPer1k',
      'server CPU per 1k delivered',
      'ms',
      'lower',
      (cpu * 1e6) / Math.max(1, received),
    );
    return m.list;
  } finally {
    await harness.loadgen.call('disconnect');
    await server.stop();
  }
}
