import { now, sleep } from '../clock.js';
import type { Harness } from '../harness.js';
import type { ResumeCounts, ResumeResult } from '../loadgen/resume-clients.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds } from '../proc-stat.js';
import { startLocalPostbodeNode } from '../targets/postbode.js';
import { waitDrained } from '../wait-drained.js';
import { type ConnectResult, STORM_CONCURRENCY } from './connect-clients.js';

/** Parameters of the reconnect storm. */
export interface ResumeParameters {
  /** Sockets on node A (at most 19.5k: one load generator process). */
  users: number;
  /** Messages per second appended to the stream, to random users, all along. */
  rate: number;
  /** How long messages flow to node A's sockets before it is killed, ms. */
  killAfterMs: number;
  /** How long they keep flowing once every socket has resumed, ms. */
  tailMs: number;
  /** Bound on the resume: sockets not synced by then count as not recovered, ms. */
  timeoutMs: number;
}

/** The target id the reconnect storm's figures are recorded under. */
export const RESUME_TARGET = 'postbode-stream';

/**
 * (g) Reconnect storm (contract 6): two gateway nodes on one Redis and stream; N sockets on
 * node A keep their cursor (the sync's epoch, the last `meta.offset`) while messages flow to
 * them through the stream; node A is killed (SIGKILL); every socket reconnects at once to
 * node B with `auth.cursor`, at most 500 handshakes in flight. The time from the kill until
 * every socket has its `postbode:sync` (how many with `recovered: true`), node B's CPU over
 * that time, and, per socket, messages published to its user against messages it received
 * live or replayed, each offset counted once (lost, duplicated).
 */
export async function reconnectStorm(
  harness: Harness,
  parameters: ResumeParameters,
): Promise<Measurement[]> {
  const { users, rate, killAfterMs, tailMs, timeoutMs } = parameters;
  const m = measurer(`(g) reconnect storm, N = ${users}, node A killed`, 'resume');
  await harness.useWire({ kind: 'stream', stream: 'postbode:stream' });
  const a = await startLocalPostbodeNode(harness.context);
  const b = await startLocalPostbodeNode(harness.context, { freshStream: false });
  let flowing: Promise<{ published: number; perUser: number[] }> | undefined;
  try {
    const connected = await harness.loadgen.call<ConnectResult>('resumeConnect', {
      origin: a.origin,
      count: users,
      concurrency: STORM_CONCURRENCY,
      timeoutMs: 30_000,
    });
    if (connected.failed > 0) {
      throw new Error(
        `${connected.failed} of ${users} clients failed to connect to node A: ${connected.firstError}`,
      );
    }
    await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 0, capacity: 0 });
    flowing = harness.publisher.call<{ published: number; perUser: number[] }>('rate', {
      users,
      rate,
      durationMs: killAfterMs + timeoutMs + tailMs,
      tally: true,
    });
    // Node B reads the stream all along: its CPU before the kill (no sockets yet) is the part
    // of its CPU during the resume that the resume does not cause.
    const flowStartedAt = now();
    const cpuFlowStart = cpuSeconds(b.pid);
    await sleep(killAfterMs);
    await harness.loadgen.call('resumeArm', {
      origin: b.origin,
      concurrency: STORM_CONCURRENCY,
      timeoutMs: 30_000,
    });
    const cpuBefore = cpuSeconds(b.pid);
    const killedAt = now();
    const idlePerMs = (cpuBefore - cpuFlowStart) / (killedAt - flowStartedAt);
    await a.kill();
    const resumed = await harness.loadgen.call<ResumeResult>('resumeWait', { timeoutMs });
    const cpu = cpuSeconds(b.pid) - cpuBefore;
    const resumeMs = now() - killedAt;
    await sleep(tailMs);
    await harness.publisher.call('stop');
    const run = await flowing;
    await waitDrained(harness, run.published, 1_000, 10_000);
    const counts = await harness.loadgen.call<ResumeCounts>('resumeCounts');
    let lost = 0;
    let extra = 0;
    for (let user = 0; user < run.perUser.length; user++) {
      const published = run.perUser[user] as number;
      const received = counts.perUser[user] ?? 0;
      if (received < published) lost += published - received;
      else extra += received - published;
    }
    const notRecovered = Object.values(resumed.notRecovered).reduce((a, b) => a + b, 0);
    m.add(
      'allSyncedMs',
      'time from the kill until every socket has its sync on node B',
      'ms',
      'lower',
      resumed.lastSyncAt - killedAt,
    );
    m.add(
      'firstCloseMs',
      'time from the kill until the first socket saw its connection close',
      'ms',
      'lower',
      resumed.firstCloseAt - killedAt,
    );
    m.add('recovered', 'sockets with recovered: true', 'count', 'higher', resumed.recovered);
    m.add(
      'notRecovered',
      'sockets not recovered (or no sync in time)',
      'count',
      'lower',
      notRecovered,
    );
    m.add('replayed', 'messages replayed by node B', 'count', 'higher', resumed.replayed);
    m.add('published', 'messages published during the run', 'count', 'higher', run.published);
    m.add('lost', 'messages lost (published − received, per socket)', 'count', 'lower', lost);
    m.add('duplicates', 'messages received twice', 'count', 'lower', counts.duplicates + extra);
    m.add('cpuS', "node B's CPU from the kill until the last sync", 's', 'lower', cpu);
    m.add(
      'cpuMsPerSocket',
      "node B's CPU per resumed socket",
      'ms',
      'lower',
      (cpu * 1000) / Math.max(1, resumed.resumed),
    );
    m.add(
      'cpuMsPerSocketNet',
      "node B's CPU per resumed socket, less its CPU before the kill (reading the stream)",
      'ms',
      'lower',
      ((cpu - idlePerMs * resumeMs) * 1000) / Math.max(1, resumed.resumed),
    );
    m.add(
      'failedAttempts',
      'reconnect attempts refused or timed out (retried)',
      'count',
      'lower',
      resumed.failedAttempts,
    );
    return m.list;
  } finally {
    if (flowing !== undefined) {
      await harness.publisher.call('stop');
      await flowing.catch(() => undefined);
    }
    await harness.loadgen.call('disconnect');
    await b.stop();
    await a.stop();
  }
}
