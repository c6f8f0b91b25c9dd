import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness } from './harness.js';
import { cpuSeconds } from './proc-stat.js';
import { type ProfileSummary, summarizeProfile } from './report/summarize-profile.js';
import { connectClients } from './scenarios/connect-clients.js';
import { latency } from './scenarios/latency.js';
import { throughput } from './scenarios/throughput.js';
import type { Target } from './targets/target.js';

/** Options of {@link profileThroughput}. */
export interface ProfileOptions {
  targets: Target[];
  users: number;
  durationMs: number;
  window: number;
  /**
   * Profile at this fixed rate (msg/s, scenario c) instead of at the throughput limit.
   * @default undefined (the throughput limit)
   */
  rate?: number;
  /** Where the `.cpuprofile` files go. */
  directory: string;
  log?: (line: string) => void;
}

/**
 * Profiles each target's CPU at the throughput limit (scenario b), or at a fixed rate
 * (scenario c, files suffixed `-<rate>`): V8's sampling profiler,
 * started through the probe's inspector session for the measured window only. The
 * `.cpuprofile` files open as flame graphs in Chrome DevTools or speedscope.
 */
export async function profileThroughput(
  options: ProfileOptions,
): Promise<Record<string, ProfileSummary & { file: string; cpuMsPer1k: number }>> {
  mkdirSync(options.directory, { recursive: true });
  const harness = await startHarness({ users: options.users, pin: true });
  const out: Record<string, ProfileSummary & { file: string; cpuMsPer1k: number }> = {};
  try {
    for (const target of options.targets) {
      await harness.useWire(target.wire);
      const server = await target.start(harness.context);
      try {
        await connectClients(harness, target, server, options.users);
        const { rate } = options;
        const suffix = rate === undefined ? '' : `-${rate}`;
        const file = join(options.directory, `${target.id}${suffix}.cpuprofile`);
        await server.probe.startProfile();
        const result =
          rate === undefined
            ? await throughput(harness, server, options.users, options.durationMs, options.window)
            : await latency(harness, server, options.users, rate, options.durationMs);
        await server.probe.stopProfile(file);
        const cpu = result.find((m) => m.key.endsWith('.cpuMsPer1k'))?.value ?? Number.NaN;
        out[target.id] = { ...summarizeProfile(file), file, cpuMsPer1k: cpu };
        options.log?.(
          `${target.id}: ${cpu.toFixed(1)} CPU-ms per 1k delivered (profiler on), ${file}`,
        );
      } finally {
        await harness.loadgen.call('disconnect');
        await server.stop();
      }
    }
  } finally {
    await harness.close();
  }
  return out;
}

/** Options of {@link profileStorm}. */
export interface StormProfileOptions {
  targets: Target[];
  /** Sockets connected during the profiled storm. */
  users: number;
  /** Where the `.cpuprofile` files go. */
  directory: string;
  log?: (line: string) => void;
}

/**
 * Profiles each target's CPU during a connection storm (scenario a): the profiler runs from
 * the first handshake until every client is ready. Files are `<target>-storm.cpuprofile`.
 */
export async function profileStorm(
  options: StormProfileOptions,
): Promise<Record<string, ProfileSummary & { file: string; cpuMsPerConn: number }>> {
  mkdirSync(options.directory, { recursive: true });
  const harness = await startHarness({ users: options.users, pin: true });
  const out: Record<string, ProfileSummary & { file: string; cpuMsPerConn: number }> = {};
  try {
    for (const target of options.targets) {
      await harness.useWire(target.wire);
      const server = await target.start(harness.context);
      try {
        const file = join(options.directory, `${target.id}-storm.cpuprofile`);
        await server.probe.startProfile();
        const cpuBefore = cpuSeconds(server.pid);
        const result = await connectClients(harness, target, server, options.users);
        const cpuAfter = cpuSeconds(server.pid);
        await server.probe.stopProfile(file);
        const cpuMsPerConn = ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.ok);
        out[target.id] = { ...summarizeProfile(file), file, cpuMsPerConn };
        options.log?.(
          `${target.id}: ${result.ok} connected in ${Math.round(result.ms)} ms, ${cpuMsPerConn.toFixed(3)} CPU-ms per connection (profiler on), ${file}`,
        );
      } finally {
        await harness.loadgen.call('disconnect');
        await server.stop();
      }
    }
  } finally {
    await harness.close();
  }
  return out;
}
