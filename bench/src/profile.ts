import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from './harness.js';
import { startHarness } from './harness.js';
import type { LoadGenerator } from './loadgen/load-generator.js';
import { cpuSeconds } from './proc-stat.js';
import { type ProfileSummary, summarizeProfile } from './report/summarize-profile.js';
import { connectClients } from './scenarios/connect-clients.js';
import { latency } from './scenarios/latency.js';
import { throughput } from './scenarios/throughput.js';
import type { RunningTarget, Target } from './targets/target.js';

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
  /**
   * The load generator the clients connect with (suffix `-sioc` for socket.io-client).
   * @default 'ws'
   */
  generator?: LoadGenerator;
  /** Where the `.cpuprofile` files go. */
  directory: string;
  log?: (line: string) => void;
}

/** File and summary name suffix of a generator: none for the bare-`ws` one. */
export function generatorSuffix(generator: LoadGenerator): string {
  return generator === 'ws' ? '' : '-sioc';
}

/** What one profiled window measured beside the profile, and the line that says so. */
interface Profiled<Extra> {
  extra: Extra;
  line: string;
}

/**
 * The loop both profiles share: a harness for `users`, then for each target a fresh server,
 * `measure` run with V8's sampling profiler on around the part it passes to `profiled` (started through the probe's inspector session
 * for that window only) into `<directory>/<target><suffix>.cpuprofile`, the server stopped.
 */
async function profileEach<Extra>(
  options: { targets: Target[]; users: number; directory: string; log?: (line: string) => void },
  suffix: string,
  measure: (
    harness: Harness,
    target: Target,
    server: RunningTarget,
    profiled: (run: () => Promise<Profiled<Extra>>) => Promise<Profiled<Extra>>,
  ) => Promise<Profiled<Extra>>,
): Promise<Record<string, ProfileSummary & { file: string } & Extra>> {
  mkdirSync(options.directory, { recursive: true });
  const harness = await startHarness({ users: options.users, pin: true });
  const out: Record<string, ProfileSummary & { file: string } & Extra> = {};
  try {
    for (const target of options.targets) {
      await harness.useWire(target.wire);
      const server = await target.start(harness.context);
      try {
        const file = join(options.directory, `${target.id}${suffix}.cpuprofile`);
        const { extra, line } = await measure(harness, target, server, async (run) => {
          await server.probe.startProfile();
          const result = await run();
          await server.probe.stopProfile(file);
          return result;
        });
        out[target.id] = { ...summarizeProfile(file), file, ...extra };
        options.log?.(`${target.id}: ${line} (profiler on), ${file}`);
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

/**
 * Profiles each target's CPU at the throughput limit (scenario b), or at a fixed rate
 * (scenario c, files suffixed `-<rate>`), with `users` clients connected before the profiler
 * starts. The `.cpuprofile` files open as flame graphs in Chrome DevTools or speedscope.
 */
export function profileThroughput(
  options: ProfileOptions,
): Promise<Record<string, ProfileSummary & { file: string; cpuMsPer1k: number }>> {
  const { rate, users, durationMs, generator = 'ws' } = options;
  return profileEach<{ cpuMsPer1k: number }>(
    options,
    `${rate === undefined ? '' : `-${rate}`}${generatorSuffix(generator)}`,
    async (harness, target, server, profiled) => {
      await connectClients(harness, target, server, users, generator);
      return profiled(async () => {
        const result =
          rate === undefined
            ? await throughput(harness, server, users, durationMs, options.window)
            : await latency(harness, server, users, rate, durationMs);
        const cpu = result.find((m) => m.key.endsWith('.cpuMsPer1k'))?.value ?? Number.NaN;
        return {
          extra: { cpuMsPer1k: cpu },
          line: `${cpu.toFixed(1)} CPU-ms per 1k delivered`,
        };
      });
    },
  );
}

/** Options of {@link profileStorm}. */
export interface StormProfileOptions {
  targets: Target[];
  /** Sockets connected during the profiled storm. */
  users: number;
  /**
   * The load generator the clients connect with (suffix `-sioc` for socket.io-client).
   * @default 'ws'
   */
  generator?: LoadGenerator;
  /** Where the `.cpuprofile` files go. */
  directory: string;
  log?: (line: string) => void;
}

/**
 * Profiles each target's CPU during a connection storm (scenario a): the profiler runs from
 * the first handshake until every client is ready. Files are `<target>-storm.cpuprofile`.
 */
export function profileStorm(
  options: StormProfileOptions,
): Promise<Record<string, ProfileSummary & { file: string; cpuMsPerConn: number }>> {
  const { generator = 'ws' } = options;
  return profileEach<{ cpuMsPerConn: number }>(
    options,
    `-storm${generatorSuffix(generator)}`,
    (harness, target, server, profiled) =>
      profiled(async () => {
        const cpuBefore = cpuSeconds(server.pid);
        const result = await connectClients(harness, target, server, options.users, generator);
        const cpuMsPerConn = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / Math.max(1, result.ok);
        return {
          extra: { cpuMsPerConn },
          line: `${result.ok} connected in ${Math.round(result.ms)} ms, ${cpuMsPerConn.toFixed(3)} CPU-ms per connection`,
        };
      }),
  );
}
