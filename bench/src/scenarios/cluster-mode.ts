import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  type GatewayProcess,
  processTree,
  spawnProcessGroup,
  startGatewayProcess,
  stopProcessGroup,
} from '@postbode/testkit';
import type { Harness } from '../harness.js';
import { ipcClient } from '../ipc.js';
import { cpuSeconds } from '../proc-stat.js';
import { scriptPath } from '../script-path.js';
import { POSTBODE_STREAM } from '../targets/postbode.js';
import { waitDrained } from '../wait-drained.js';
import type { ConnectResult } from './connect-clients.js';

// Issue 14, every core: the gateway with `--workers` 1 and 2 behind its one port.

const GATEWAY_ENTRY = createRequire(import.meta.url).resolve('@postbode/gateway/main');

/** Options of {@link clusterMode}. */
export interface ClusterModeOptions {
  /** Sockets held with 2 workers, from two load-generator processes (half each). */
  sockets: number;
  /** Clients connected for the throughput run. */
  users: number;
  /** How long messages are published in each throughput run, ms. */
  durationMs: number;
  /** Messages published and not yet received at most. */
  window: number;
  log(line: string): void;
}

/** One throughput run. */
export interface ClusterThroughput {
  workers: number;
  users: number;
  published: number;
  /** Received by the clients within the publishing window, per second. */
  deliveredPerSecond: number;
  /** Received after draining / published. */
  ratio: number;
  /** CPU of the primary and its workers per 1k delivered, ms. */
  cpuMsPer1k: number;
}

/** What {@link clusterMode} measured. */
export interface ClusterModeResult {
  /** `uptime` when the scenario started and ended (the machine is shared). */
  uptimeBefore: string;
  uptimeAfter: string;
  /** `ulimit -n` of the processes here (a worker has the same limit). */
  descriptorLimit: number;
  throughput: ClusterThroughput[];
  sockets: {
    workers: number;
    asked: number;
    connected: number;
    failed: number;
    firstError?: string;
    connectMs: number;
    /** `postbode_sockets_connected` on `/metrics`, summed over the workers by the primary. */
    metricSockets: number;
    /** Sockets per worker (presence is not needed: the workers' own fd counts). */
    perWorkerDescriptors: number[];
  };
}

const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();
const treeCpu = (pid: number): number =>
  processTree(pid).reduce((sum, info) => {
    try {
      return sum + cpuSeconds(info.pid);
    } catch {
      return sum;
    }
  }, 0);

async function startCluster(harness: Harness, workers: number): Promise<GatewayProcess> {
  const redis = harness.redis.client();
  await redis.del(POSTBODE_STREAM, `${POSTBODE_STREAM}:meta`);
  redis.disconnect();
  return startGatewayProcess({
    entry: GATEWAY_ENTRY,
    env: {
      POSTBODE_REDIS_URL: harness.context.redisUrl,
      POSTBODE_STREAM,
      POSTBODE_JWT_SECRET: harness.context.jwtSecret,
      POSTBODE_WORKERS: String(workers),
      POSTBODE_LOG_LEVEL: 'warn',
      // The load generators open every connection from few addresses, thousands at once.
      POSTBODE_MAX_CONNECTIONS_PER_ADDRESS: '0',
      POSTBODE_HANDSHAKES_PER_MINUTE: '0',
    },
    startTimeoutMs: 30_000,
  });
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/**
 * Delivered messages per second with 1 and 2 workers (direct messages to random users through
 * the durable stream, as the throughput scenario publishes them), then sockets held with 2
 * workers from two load generators: more than one process's descriptor limit allows.
 */
export async function clusterMode(
  harness: Harness,
  options: ClusterModeOptions,
): Promise<ClusterModeResult> {
  const { log } = options;
  const uptimeBefore = uptime();
  const descriptorLimit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }));
  await harness.useWire({ kind: 'stream', stream: POSTBODE_STREAM });
  const throughput: ClusterThroughput[] = [];
  for (const workers of [1, 2]) {
    const gateway = await startCluster(harness, workers);
    try {
      const origin = `ws://127.0.0.1:${gateway.port}`;
      const connected = await harness.loadgen.call<ConnectResult>('connect', {
        origin,
        eio: 4,
        join: 'token',
        channels: [],
        count: options.users,
        concurrency: 500,
        timeoutMs: 30_000,
      });
      log(`cluster: ${workers} worker(s), ${connected.ok} clients connected`);
      await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 5, capacity: 0 });
      const cpuBefore = treeCpu(gateway.pid as number);
      const run = await harness.publisher.call<{ published: number; ms: number }>('throughput', {
        users: options.users,
        durationMs: options.durationMs,
        window: options.window,
      });
      const inWindow = (await harness.loadgen.call<{ received: number }>('received')).received;
      const received = await waitDrained(harness, run.published);
      const cpuAfter = treeCpu(gateway.pid as number);
      await harness.loadgen.call('reset', { mode: 'count', progressEveryMs: 0, capacity: 0 });
      const result: ClusterThroughput = {
        workers,
        users: connected.ok,
        published: run.published,
        deliveredPerSecond: inWindow / (run.ms / 1000),
        ratio: received / Math.max(1, run.published),
        cpuMsPer1k: ((cpuAfter - cpuBefore) * 1e6) / Math.max(1, received),
      };
      throughput.push(result);
      log(
        `cluster: ${workers} worker(s): ${Math.round(result.deliveredPerSecond)} delivered msg/s, ratio ${result.ratio.toFixed(4)}`,
      );
      await harness.loadgen.call('disconnect');
    } finally {
      await gateway.stop();
    }
  }

  // Sockets: two load generators (each process is bound by the same descriptor limit).
  const second = spawnProcessGroup(
    process.execPath,
    ['--max-old-space-size=4096', scriptPath('loadgen/loadgen-main.js')],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const loadgen2 = ipcClient(second);
  const half = Math.ceil(options.sockets / 2);
  const gateway = await startCluster(harness, 2);
  try {
    await loadgen2.call('tokens', { count: half, secret: harness.context.jwtSecret });
    const origin = `ws://127.0.0.1:${gateway.port}`;
    const ask = (count: number) => ({
      origin,
      eio: 4,
      join: 'token',
      channels: [],
      count,
      concurrency: 500,
      timeoutMs: 60_000,
    });
    const [a, b] = await Promise.all([
      harness.loadgen.call<ConnectResult>('connect', ask(half)),
      loadgen2.call<ConnectResult>('connect', ask(options.sockets - half)),
    ]);
    const metricSockets = await metric(gateway.url, 'postbode_sockets_connected');
    const workers = processTree(gateway.pid as number).filter((info) => info.ppid === gateway.pid);
    const perWorkerDescriptors = workers.map(
      (info) =>
        Number(
          execFileSync('sh', ['-c', `ls /proc/${info.pid}/fd | wc -l`], { encoding: 'utf8' }),
        ) || 0,
    );
    const sockets = {
      workers: 2,
      asked: options.sockets,
      connected: a.ok + b.ok,
      failed: a.failed + b.failed,
      ...((a.firstError ?? b.firstError) ? { firstError: a.firstError ?? b.firstError } : {}),
      connectMs: Math.max(a.ms, b.ms),
      metricSockets,
      perWorkerDescriptors,
    };
    log(
      `cluster: 2 workers hold ${sockets.connected} of ${sockets.asked} sockets (/metrics: ${metricSockets}; descriptors per worker ${perWorkerDescriptors.join(', ')})`,
    );
    await Promise.all([harness.loadgen.call('disconnect'), loadgen2.call('disconnect')]);
    return {
      uptimeBefore,
      uptimeAfter: uptime(),
      descriptorLimit,
      throughput,
      sockets,
    };
  } finally {
    await gateway.stop();
    await loadgen2.call('exit').catch(() => undefined);
    await stopProcessGroup(second, { signal: 'SIGKILL' });
  }
}
