import { getFreePort, spawnProcessGroup, stopProcessGroup } from '@postbode/testkit';
import { probeClient, probeNodeOptions } from '../probe/probe-client.js';
import type { RunningTarget, TargetContext } from './target.js';

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** The script to run with node. */
  script: string;
  /** Its environment (PORT is added). */
  env: Record<string, string>;
  context: TargetContext;
  /** `ws` for socket.io servers, `http` for the polling endpoint. */
  scheme: 'ws' | 'http';
  /**
   * How long to wait for the script to print its ready marker, in ms.
   * @default 20000
   */
  startTimeoutMs?: number;
}

/** The line a bench server script prints once it listens and is subscribed. */
export const READY_MARKER = 'BENCH_READY';

/**
 * Starts a bench server script (a peer or the legacy endpoint) with the probe preloaded and
 * pinned to the server core, and resolves once it prints {@link READY_MARKER}.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<RunningTarget> {
  const port = await getFreePort();
  const probePort = await getFreePort();
  const child = spawnProcessGroup(process.execPath, [options.script], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: probeNodeOptions(),
      BENCH_PROBE_PORT: String(probePort),
      BENCH_PROBE_CPU:
        options.context.serverCpu === undefined ? '' : String(options.context.serverCpu),
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopProcessGroup(child, { signal: 'SIGKILL' }).catch(() => undefined);
      reject(new Error(`${options.script} did not get ready:\n${output}`));
    }, options.startTimeoutMs ?? 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_MARKER)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with ${code}:\n${output}`));
    });
  });
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  return {
    pid: child.pid as number,
    origin: `${options.scheme}://127.0.0.1:${port}`,
    probe: probeClient(probePort),
    stop: () => stopProcessGroup(child),
  };
}
