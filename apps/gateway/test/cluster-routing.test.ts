import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  collectOutput,
  connectSocket,
  getFreePort,
  isRunning,
  type ProcessInfo,
  readProcess,
  spawnProcessGroup,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';

// The primary of `--workers` (run-primary.ts, built) routing new connections around a worker
// whose IPC channel has closed. A worker killed by SIGKILL closes its channel before the
// primary learns of its exit; until both have happened, node:cluster keeps it in
// `cluster.workers`, so @socket.io/sticky could still pick it, and a handle sent on a closed
// channel is lost: the client sees its connection fail. That window is too short to hit on
// purpose with a real gateway worker; the fixture's workers hold it open (SIGUSR2 closes the
// channel of a process that stays alive), real processes and real clients on both transports.

const fixture = fileURLToPath(new URL('./fixtures/sticky-cluster.mjs', import.meta.url));
let primary: ChildProcess | undefined;
const open: Socket[] = [];

afterEach(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  if (primary !== undefined) await stopProcessGroup(primary);
  primary = undefined;
});

/** The pid of each worker the primary logged as ready, by cluster id. */
function readyWorkers(output: string): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of output.split('\n')) {
    if (!line.includes('"worker ready"')) continue;
    const entry = JSON.parse(line) as { worker: number; pid: number };
    pids.set(entry.worker, entry.pid);
  }
  return pids;
}

/** Starts the fixture's primary and its two workers; resolves once both are ready. */
async function startFixture() {
  const port = await getFreePort();
  primary = spawnProcessGroup(process.execPath, [fixture], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(primary);
  await waitUntil(() => readyWorkers(output()).size === 2, {
    timeoutMs: 30_000,
    description: 'two workers ready',
  });
  return { url: `http://127.0.0.1:${port}`, output, workers: readyWorkers(output()) };
}

describe('the primary of --workers', { timeout: 60_000 }, () => {
  it('sends no new connection to a worker whose channel closed before its exit was seen; connected: 8 of 8, all on the other worker', async () => {
    const { url, output, workers } = await startFixture();
    // Worker 1 is sticky's first choice: no sessions anywhere, and it comes first.
    const closed = readProcess(workers.get(1) as number) as ProcessInfo;
    process.kill(closed.pid, 'SIGUSR2');
    await waitUntil(() => output().includes('"worker channel closed"'), {
      description: "the primary sees worker 1's channel close",
    });
    const served: unknown[] = [];
    for (const transports of [['websocket'], ['polling']]) {
      for (let i = 0; i < 4; i += 1) {
        const socket = await connectSocket(url, { transports });
        open.push(socket);
        served.push(await socket.timeout(10_000).emitWithAck('who'));
      }
    }
    expect(served).toEqual(Array.from({ length: 8 }, () => 2));
    // The worker is alive all along: only its channel is gone.
    expect(isRunning(closed)).toBe(true);
  });

  it('holds a new connection while no worker can take it, and hands it to the worker that replaces a dead one', async () => {
    const { url, output, workers } = await startFixture();
    const [first, second] = [workers.get(1), workers.get(2)] as [number, number];
    for (const pid of [first, second]) process.kill(pid, 'SIGUSR2');
    await waitUntil(() => (output().match(/"worker channel closed"/g) ?? []).length === 2, {
      description: 'the primary sees both channels close',
    });
    const waiting = connectSocket(url, { transports: ['websocket'], timeoutMs: 20_000 });
    // The connection waits (its client is not refused) until a worker can take it.
    process.kill(first, 'SIGKILL');
    const socket = await waiting;
    open.push(socket);
    expect(await socket.timeout(10_000).emitWithAck('who')).toBe(3);
    expect(output()).toMatch(/"worker":1,.*"signal":"SIGKILL".*"worker died/);
  });
});
