import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getFreePort } from '../src/free-port.js';
import { startGatewayProcess } from '../src/gateway-process.js';
import { signalProcessGroup, spawnProcessGroup, stopProcessGroup } from '../src/process-group.js';
import { listProcesses, readProcess } from '../src/process-table.js';
import { startRedis } from '../src/redis-server.js';
import { waitUntil } from '../src/wait-until.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

/** The processes of group `pgid` that still run (zombies do not). */
const groupMembers = (pgid: number | undefined): string[] =>
  listProcesses()
    .filter((info) => info.pgid === pgid && info.state !== 'Z')
    .map((info) => `${info.pid} ${info.args}`);

// Each test's groups, stopped even when the test fails half-way.
const started: ChildProcess[] = [];
const spawnGroup = (...args: Parameters<typeof spawnProcessGroup>): ChildProcess => {
  const child = spawnProcessGroup(...args);
  started.push(child);
  return child;
};
afterEach(async () => {
  await Promise.all(
    started.splice(0).map((child) => stopProcessGroup(child, { signal: 'SIGKILL' })),
  );
});

describe('spawnProcessGroup / stopProcessGroup', () => {
  it('stops the leader and every process it started', async () => {
    const child = spawnGroup('sh', ['-c', 'sleep 300 & sleep 300 & wait'], { stdio: 'ignore' });
    await waitUntil(() => groupMembers(child.pid).length === 3, {
      description: 'sh and two sleeps',
    });
    await stopProcessGroup(child);
    expect(groupMembers(child.pid)).toEqual([]);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('kills a group that ignores the signal once the time is up', async () => {
    const child = spawnGroup('sh', ['-c', 'trap "" TERM; sleep 300 & wait'], { stdio: 'ignore' });
    await waitUntil(() => groupMembers(child.pid).length === 2, { description: 'sh and sleep' });
    await stopProcessGroup(child, { timeoutMs: 200 });
    expect(groupMembers(child.pid)).toEqual([]);
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('stops a group whose processes are stopped (SIGSTOP)', async () => {
    const child = spawnGroup('sh', ['-c', 'sleep 300 & wait'], { stdio: 'ignore' });
    await waitUntil(() => groupMembers(child.pid).length === 2, { description: 'sh and sleep' });
    expect(signalProcessGroup(child, 'SIGSTOP')).toBe(true);
    await waitUntil(() => readProcess(child.pid as number)?.state === 'T');
    await stopProcessGroup(child, { timeoutMs: 10_000 });
    expect(groupMembers(child.pid)).toEqual([]);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('is idempotent and says when a group has no process left', async () => {
    const child = spawnGroup('true', [], { stdio: 'ignore' });
    await once(child, 'exit');
    await stopProcessGroup(child);
    await stopProcessGroup(child);
    expect(signalProcessGroup(child, 'SIGTERM')).toBe(false);
  });

  // The owner dies of a signal it does not handle (as vitest stops a worker with SIGTERM and
  // Ctrl-C sends SIGINT), or exits: its groups must not outlive it.
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP', 'exit'])(
    'kills the groups of a process that ends by %s',
    async (how) => {
      const owner = spawnGroup(process.execPath, [fixture('group-owner.mjs'), how], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(owner.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
      const pgid = Number(line.toString().trim());
      expect(groupMembers(pgid)).toHaveLength(1);
      if (how !== 'exit') owner.kill(how as NodeJS.Signals);
      const [code, signal] = await once(owner, 'exit');
      expect(how === 'exit' ? code : signal).toBe(how === 'exit' ? 0 : how);
      await waitUntil(() => groupMembers(pgid).length === 0, {
        timeoutMs: 5_000,
        description: `group ${pgid} gone`,
      });
    },
  );
});

describe('startRedis and startGatewayProcess leave nothing running', () => {
  it('redis: stop() and kill() end its group', async () => {
    const redis = await startRedis();
    const first = redis.pid;
    expect(groupMembers(first)).toHaveLength(1);
    await redis.kill();
    expect(redis.pid).toBeUndefined();
    expect(groupMembers(first)).toEqual([]);
    await redis.start();
    const second = redis.pid;
    expect(groupMembers(second)).toHaveLength(1);
    await redis.stop();
    expect(groupMembers(second)).toEqual([]);
  });

  it('gateway: stop() ends the process and what it started, also when it is frozen', async () => {
    const gateway = await startGatewayProcess({ entry: fixture('fake-gateway.mjs') });
    try {
      const { helper } = (await (await fetch(`${gateway.url}/readyz`)).json()) as {
        helper: number;
      };
      expect(readProcess(helper)?.pgid).toBe(gateway.pid);
      expect(groupMembers(gateway.pid)).toHaveLength(2);
      gateway.signal('SIGSTOP');
      await waitUntil(() => readProcess(gateway.pid as number)?.state === 'T');
      expect(readProcess(helper)?.state).not.toBe('T');
      await gateway.stop();
      expect(groupMembers(gateway.pid)).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('gateway: kill() crashes the process alone; stop() still ends the rest', async () => {
    const gateway = await startGatewayProcess({ entry: fixture('fake-gateway.mjs') });
    try {
      const pgid = gateway.pid;
      await gateway.kill();
      expect(groupMembers(pgid)).toHaveLength(1);
      await gateway.stop();
      expect(groupMembers(pgid)).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  /** A port held by a listener of this process until `close`. */
  const holdPort = async (): Promise<{ port: number; server: Server }> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address !== 'object') throw new Error('no port');
    return { port: address.port, server };
  };

  it('gateway: one that exits before it is ready fails the start at once, with its output', async () => {
    const held = await holdPort();
    try {
      const error = await startGatewayProcess({
        entry: fixture('fake-gateway.mjs'),
        env: { POSTBODE_PORT: String(held.port) },
      }).then(
        () => undefined,
        (reason: Error) => reason,
      );
      // Not "timed out": the exit is what it reports, with what the gateway said.
      expect(error?.message).toMatch(/exited with code 1 before it was ready/);
      expect(error?.message).toMatch(/EADDRINUSE/);
      expect(error?.message).not.toMatch(/timed out/);
    } finally {
      held.server.close();
    }
  });

  it('gateway: a port it picked and found taken is picked again (never a port given in env)', async () => {
    const held = await holdPort();
    const picks: number[] = [];
    const gateway = await startGatewayProcess({
      entry: fixture('fake-gateway.mjs'),
      // The first pick is a port another listener has taken since: what a busy machine does.
      pickPort: async () => {
        const port = picks.length === 0 ? held.port : await getFreePort();
        picks.push(port);
        return port;
      },
    });
    try {
      expect(picks).toHaveLength(2);
      expect(picks[0]).toBe(held.port);
      expect(gateway.port).toBe(picks[1]);
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    } finally {
      await gateway.stop();
      held.server.close();
    }
  });
});
