import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type GatewayProcess,
  isRunning,
  type ProcessInfo,
  processTree,
  type RedisServer,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  appendToStream,
  bodies,
  connectWithSync,
  messageTo,
  readMetric,
  type SyncedSocket,
} from './support.js';

// Issue 14, every core: `POSTBODE_WORKERS=2` (`--workers 2`), one port, a primary that forks
// two workers and routes with @socket.io/sticky; real processes, real clients on both
// transports, faults for real (SIGKILL of a worker, SIGTERM to the primary).

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let redis: RedisServer;
let client: Redis;
const open: Socket[] = [];
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterEach(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  await gateway?.stop();
  gateway = undefined;
  await client.flushall();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

async function startWorkers(): Promise<GatewayProcess> {
  gateway = await startGatewayProcess({
    entry,
    env: {
      POSTBODE_REDIS_URL: redis.url,
      POSTBODE_WORKERS: '2',
      POSTBODE_NODE_ID: 'gw',
      POSTBODE_LOG_LEVEL: 'info',
    },
  });
  // Both workers take connections (the port answers as soon as the first one does).
  await waitUntil(() => (gateway?.output.match(/"worker ready"/g) ?? []).length >= 2, {
    timeoutMs: 30_000,
    description: 'two workers ready',
  });
  return gateway;
}
/** The node id of the worker with this pid (the primary logs each worker it starts). */
function nodeOfPid(pid: number): string {
  for (const line of gateway?.output.split('\n') ?? []) {
    if (!line.includes('"worker ready"')) continue;
    const entry = JSON.parse(line) as { worker: number; pid: number };
    if (entry.pid === pid) return `gw:w${entry.worker}`;
  }
  throw new Error(`no worker with pid ${pid} in the primary's log`);
}
/** The primary's children: the workers. */
const workers = (): ProcessInfo[] =>
  processTree(gateway?.pid as number).filter((info) => info.ppid === gateway?.pid);
/** Which presence node (worker) each user's socket is on. */
async function nodesOf(users: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const user of users) {
    result.set(user, await client.smembers(`postbode:presence:default:user:${user}`));
  }
  return result;
}
/**
 * A client's connection; when it fails, the error names the transport's own cause (engine.io's
 * "websocket error" alone does not) and carries the end of the gateway's log.
 */
async function connectClient(
  url: string,
  user: string,
  transports: string[],
  cursor?: { epoch: string; offset: string },
): Promise<SyncedSocket> {
  try {
    return await connectWithSync(url, { sub: user }, cursor, { transports });
  } catch (error) {
    const cause = (error as { description?: { message?: string; code?: string } }).description;
    const log = (gateway?.output ?? '').split('\n').slice(-40).join('\n');
    throw new Error(
      `${user} (${transports.join(',')}) could not connect: ${(error as Error).message}` +
        `${cause === undefined ? '' : ` (${cause.code ?? ''} ${cause.message ?? ''})`}\n` +
        `the gateway's log, last 40 lines:\n${log}`,
    );
  }
}
async function connectAll(url: string, count: number, prefix: string, transports: string[]) {
  const clients: SyncedSocket[] = [];
  for (let i = 0; i < count; i += 1) {
    const synced = await connectClient(url, `${prefix}${i}`, transports);
    open.push(synced.socket);
    clients.push(synced);
  }
  return clients;
}

describe('--workers 2 behind one port', { timeout: 120_000 }, () => {
  it('websocket and polling-only clients on both workers each get every message; polling stays on its worker; /metrics adds the workers up; lost: 0 of 2000', async () => {
    const { url } = await startWorkers();
    const ws = await connectAll(url, 10, 'ws', ['websocket']);
    const polling = await connectAll(url, 10, 'poll', ['polling']);
    const clients = [...ws, ...polling];
    const users = clients.map((_, i) => (i < 10 ? `ws${i}` : `poll${i - 10}`));
    const ids = clients.map((c) => c.socket.id);
    let disconnects = 0;
    for (const c of clients) c.socket.on('disconnect', () => (disconnects += 1));

    // Every socket is on one worker; both workers hold sockets of both transports.
    await waitUntil(async () => [...(await nodesOf(users)).values()].every((n) => n.length === 1), {
      description: 'presence of every user on one worker',
    });
    const nodes = await nodesOf(users);
    const wsNodes = new Set(users.slice(0, 10).map((u) => nodes.get(u)?.[0]));
    const pollNodes = new Set(users.slice(10).map((u) => nodes.get(u)?.[0]));
    expect([...wsNodes, ...pollNodes].every((node) => /^gw:w\d+$/.test(node ?? ''))).toBe(true);
    expect(new Set([...wsNodes, ...pollNodes]).size).toBe(2);
    expect(pollNodes.size).toBe(2);

    await appendToStream(
      client,
      Array.from({ length: 100 }, (_, i) => messageTo({ users }, `m-${i}`)),
    );
    await waitUntil(() => clients.every((c) => bodies(c.events).length >= 100), {
      timeoutMs: 30_000,
      description: '100 messages on each of 20 clients',
    });
    const expected = Array.from({ length: 100 }, (_, i) => `m-${i}`);
    const lost = clients.reduce(
      (sum, c) => sum + expected.filter((body) => !bodies(c.events).includes(body)).length,
      0,
    );
    expect(`lost: ${lost} of 2000`).toBe('lost: 0 of 2000');
    // Without sticky routing a polling request reaches the worker without the session: the
    // client is refused ("Session ID unknown") and comes back as a new socket.
    expect(disconnects).toBe(0);
    expect(clients.map((c) => c.socket.id)).toEqual(ids);
    expect(polling.every((c) => c.socket.io.engine.transport.name === 'polling')).toBe(true);
    // Aggregated across the workers by the primary.
    expect(await readMetric(url, 'postbode_sockets_connected')).toBe(20);
    expect(await readMetric(url, 'postbode_stream_ready')).toBe(1);
  });

  it('SIGKILL of a worker: its clients resume on the other worker with their cursor (recovered), a new worker replaces it; lost: 0 of the messages meanwhile', async () => {
    const { url } = await startWorkers();
    const clients = [
      ...(await connectAll(url, 6, 'ws', ['websocket'])),
      ...(await connectAll(url, 6, 'poll', ['polling'])),
    ];
    const users = clients.map((_, i) => (i < 6 ? `ws${i}` : `poll${i - 6}`));
    await appendToStream(
      client,
      Array.from({ length: 20 }, (_, i) => messageTo({ users }, `a-${i}`)),
    );
    await waitUntil(() => clients.every((c) => bodies(c.events).length === 20), {
      description: '20 messages before the kill',
    });
    await waitUntil(async () => [...(await nodesOf(users)).values()].every((n) => n.length === 1), {
      description: 'presence of every user on one worker',
    });
    const nodes = await nodesOf(users);
    const victim = workers()[0] as ProcessInfo;
    const victimNode = nodeOfPid(victim.pid);
    const onVictim = clients.filter((_, i) => nodes.get(users[i] as string)?.[0] === victimNode);
    process.kill(victim.pid, 'SIGKILL');
    await waitUntil(() => onVictim.every((c) => !c.socket.connected), {
      description: "the dead worker's clients see it",
    });
    const cut = clients.filter((c) => !c.socket.connected);
    const kept = clients.filter((c) => c.socket.connected);
    expect(cut).toEqual(onVictim);
    expect(cut.length).toBeGreaterThan(0);
    await appendToStream(
      client,
      Array.from({ length: 30 }, (_, i) => messageTo({ users }, `b-${i}`)),
    );
    // Each cut client comes back (as the SDK does) with the offset of the last message it got.
    const resumed: SyncedSocket[] = [];
    for (const c of cut) {
      const last = c.events.filter((e) => e.event === 'message.created').at(-1);
      const cursor = {
        epoch: c.sync.epoch,
        offset: (last?.args[1] as { offset: string } | undefined)?.offset ?? '',
      };
      const user = users[clients.indexOf(c)] as string;
      const transports = user.startsWith('ws') ? ['websocket'] : ['polling'];
      const again = await connectClient(url, user, transports, cursor);
      open.push(again.socket);
      expect(again.sync).toMatchObject({ recovered: true, replayed: 30 });
      resumed.push(again);
    }
    await waitUntil(() => kept.every((c) => bodies(c.events).length === 50), {
      description: '50 messages on the clients that were not cut',
    });
    const all = [
      ...Array.from({ length: 20 }, (_, i) => `a-${i}`),
      ...Array.from({ length: 30 }, (_, i) => `b-${i}`),
    ];
    let lost = 0;
    for (const c of kept) lost += all.filter((body) => !bodies(c.events).includes(body)).length;
    cut.forEach((c, i) => {
      const got = [...bodies(c.events), ...bodies(resumed[i]?.replayed ?? [])];
      lost += all.filter((body) => !got.includes(body)).length;
    });
    expect(`lost: ${lost} of ${all.length * clients.length}`).toBe(
      `lost: 0 of ${all.length * clients.length}`,
    );
    // A new worker takes the dead one's place.
    await waitUntil(
      () => {
        const now = workers();
        return now.length === 2 && !now.some((info) => info.pid === victim.pid);
      },
      { timeoutMs: 20_000, description: 'a new worker' },
    );
    expect(isRunning(victim)).toBe(false);
    // It is a node of its own (presence heartbeat under a new id).
    await waitUntil(
      async () => (await client.zrange('postbode:presence-nodes', 0, -1)).includes('gw:w3'),
      { description: 'the new worker gw:w3 in presence' },
    );
    // And it serves: a new polling client lands somewhere and gets its message.
    await waitUntil(async () => (await fetch(`${url}/readyz`)).status === 200, {
      description: 'ready',
    });
    process.stdout.write(
      `worker SIGKILL: ${cut.length} of ${clients.length} clients cut, all resumed\n`,
    );
  });

  it('SIGSTOP of a worker: once it misses its heartbeats, new clients go to the other worker (connected: 6 of 6, none to the stopped one); after SIGCONT it takes new clients again', async () => {
    const { url } = await startWorkers();
    // Sticky's first choice while no worker has sessions: the first worker.
    const stopped = workers().find((info) => nodeOfPid(info.pid) === 'gw:w1') as ProcessInfo;
    process.kill(stopped.pid, 'SIGSTOP');
    try {
      await waitUntil(() => gateway?.output.includes('"worker not responding') ?? false, {
        timeoutMs: 20_000,
        description: 'the primary notices the stopped worker',
      });
      const clients = [
        ...(await connectAll(url, 4, 'ws', ['websocket'])),
        ...(await connectAll(url, 2, 'poll', ['polling'])),
      ];
      expect(clients.map((c) => c.socket.connected)).toEqual(Array(6).fill(true));
      const users = ['ws0', 'ws1', 'ws2', 'ws3', 'poll0', 'poll1'];
      await waitUntil(async () => [...(await nodesOf(users)).values()].every((n) => n.length), {
        description: 'presence of every user',
      });
      expect([...(await nodesOf(users)).values()].flat()).toEqual(Array(6).fill('gw:w2'));
    } finally {
      process.kill(stopped.pid, 'SIGCONT');
    }
    await waitUntil(() => gateway?.output.includes('"worker responding again"') ?? false, {
      description: 'the primary hears from it again',
    });
    // It has the fewest sessions again: the next client is its.
    await connectAll(url, 1, 'after', ['websocket']);
    await waitUntil(async () => (await nodesOf(['after0'])).get('after0')?.length === 1, {
      description: 'presence of the client after SIGCONT',
    });
    expect((await nodesOf(['after0'])).get('after0')).toEqual(['gw:w1']);
    // Only the stopped worker was ever passed over: the running one kept its heartbeat.
    const passedOver = (gateway?.output.split('\n') ?? [])
      .filter((line) => line.includes('"worker not responding'))
      .map((line) => (JSON.parse(line) as { worker: number }).worker);
    expect(passedOver).toEqual([1]);
  });

  it('SIGTERM to the primary stops every worker and exits 0', async () => {
    const started = await startWorkers();
    await connectAll(started.url, 4, 'ws', ['websocket']);
    const tree = processTree(started.pid as number);
    expect(tree.length).toBeGreaterThanOrEqual(3);
    const code = await started.stop();
    gateway = undefined;
    expect(code).toBe(0);
    expect(tree.filter(isRunning)).toEqual([]);
  });

  it('`--workers 0` and workers without Redis stop start-up with one line naming POSTBODE_WORKERS', async () => {
    const run = promisify(execFile);
    const env = { PATH: process.env.PATH ?? '', POSTBODE_JWT_SECRET: 'x'.repeat(32) };
    const zero = await run(process.execPath, [entry, '--workers', '0'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(zero).toMatchObject({ code: 1 });
    expect((zero as { stderr: string }).stderr).toMatch(
      /^postbode-gateway: POSTBODE_WORKERS must be/,
    );
    const noRedis = await run(process.execPath, [entry, '--workers=2'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((noRedis as { stderr: string }).stderr).toMatch(
      /POSTBODE_WORKERS must be 1 without POSTBODE_REDIS_URL/,
    );
  });
});
