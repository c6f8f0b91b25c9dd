import type { Harness } from '../harness.js';
import type { Measurement } from '../measurement.js';
import type { Target } from '../targets/target.js';
import { connectClients } from './connect-clients.js';
import { connectStorm } from './connect-storm.js';
import { latency, rateLabel } from './latency.js';
import type { SessionParameters } from './session.js';
import { throughput } from './throughput.js';

/** True when the socket.io-client generator can load `target` (socket.io 4, token joins). */
export function speaksSocketIo4(target: Target): boolean {
  return target.eio === 4 && target.join === 'token' && target.variantOf === undefined;
}

/** A scenario's measurements as the second generator's: keys `<prefix>-sioc.*`, its title. */
function renamed(list: Measurement[], prefix: string, scenario: string): Measurement[] {
  return list.map((m) => ({
    ...m,
    key: m.key.replace(`${prefix}.`, `${prefix}-sioc.`),
    scenario,
  }));
}

/**
 * The headline figures again, with the second load generator (the official socket.io-client):
 * (a2) the connection storm at `stormSize`, then on one fresh server with `session.users`
 * clients (c2) latency at the first of `session.latencyRates` (the p99 line: 1k msg/s)
 * and (b2) direct-message throughput. Keys `storm-sioc.<N>.*`, `latency-sioc.<rate>.*` and
 * `throughput-sioc.*`. Without a `stormSize` (a run with no storm sizes) the storm is skipped;
 * without a latency rate, (c2).
 */
export async function secondGenerator(
  harness: Harness,
  target: Target,
  stormSize: number | undefined,
  session: SessionParameters,
): Promise<Measurement[]> {
  const out =
    stormSize === undefined
      ? []
      : await connectStorm(harness, target, stormSize, 'socket.io-client');
  await harness.useWire(target.wire);
  const server = await target.start(harness.context);
  try {
    const connected = await connectClients(
      harness,
      target,
      server,
      session.users,
      'socket.io-client',
    );
    if (connected.failed > 0) {
      throw new Error(
        `${target.id}: ${connected.failed} of ${session.users} socket.io-client clients failed to connect: ${connected.firstError}`,
      );
    }
    const rate = session.latencyRates[0];
    if (rate !== undefined) {
      const measured = await latency(harness, server, session.users, rate, session.durationMs);
      out.push(
        ...renamed(
          measured,
          'latency',
          `(c2) latency, socket.io-client, N = ${session.users}, ${rateLabel(rate)} msg/s`,
        ),
      );
    }
    const measured = await throughput(
      harness,
      server,
      session.users,
      session.durationMs,
      session.window,
    );
    out.push(
      ...renamed(
        measured,
        'throughput',
        `(b2) direct-message throughput, socket.io-client, N = ${session.users}`,
      ),
    );
    return out;
  } finally {
    await harness.loadgen.call('disconnect');
    await server.stop();
  }
}
