import { fileURLToPath } from 'node:url';
import {
  type GatewayProcess,
  type RedisServer,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectWithSync } from './support.js';

// Contract 7 across built gateway processes and a real redis-server, with small grace and TTL
// (1 s and 2 s) set through the variables, and faults injected for real (SIGKILL, SIGSTOP,
// SIGTERM). Every promise ends with a count of the entries on the backend event stream.

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const STREAM = 'postbode:events';
let redis: RedisServer;
let client: Redis;
const open: Socket[] = [];
const processes: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterEach(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  await Promise.all(
    processes.splice(0).map(async (gateway) => {
      gateway.signal('SIGCONT');
      await gateway.stop();
    }),
  );
  await client.flushall();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

async function node(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    entry,
    env: {
      POSTBODE_REDIS_URL: redis.url,
      POSTBODE_PRESENCE_GRACE: '1',
      POSTBODE_PRESENCE_TTL: '2',
      ...env,
    },
  });
  processes.push(gateway);
  return gateway;
}
async function connect(url: string, sub: string, site = 'nl') {
  const synced = await connectWithSync(url, { sub, site });
  open.push(synced.socket);
  return synced;
}

interface Entry {
  action: string;
  site: string;
  user: string;
  id: string;
  ts: number;
  node: string;
  data: { reason: string; lastSeenAt?: number; expiredNode?: string };
  /** DESIGN's reading of contract 7: `type`, `time` and `reason` as fields of their own too. */
  type: string;
  time: number;
  reason: string;
}
async function entries(): Promise<Entry[]> {
  const raw = await client.xrange(STREAM, '-', '+');
  return raw.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2)
      record[fields[i] as string] = fields[i + 1] as string;
    return {
      action: record.action ?? '',
      site: record.site ?? '',
      user: record.user ?? '',
      id: record.id ?? '',
      ts: Number(record.ts),
      node: record.node ?? '',
      data: JSON.parse(record.data ?? '{}'),
      type: record.type ?? '',
      time: Number(record.time),
      reason: record.reason ?? '',
    };
  });
}
const of = (all: Entry[], user: string, site = 'nl') =>
  all.filter((e) => e.user === user && e.site === site).map((e) => e.action);
const online = (site = 'nl') => client.zrange(`postbode:presence:${site}:online`, 0, -1);
/** Waits for the user's nth entry (1-based). */
const waitForEntries = (user: string, count: number, site = 'nl') =>
  waitUntil(async () => of(await entries(), user, site).length >= count, {
    timeoutMs: 20_000,
    description: `${count} presence entries of ${site}/${user}`,
  });
/**
 * A marker user connects and disconnects at `url`; once its offline entry is on the stream, every
 * grace that started before it has been settled too (graces end in the order they start).
 */
async function marker(url: string, name: string): Promise<void> {
  const { socket } = await connect(url, name);
  await waitForEntries(name, 1);
  socket.disconnect();
  await waitForEntries(name, 2);
}
type Ack = { ok: boolean; online?: string[]; error?: { code: string; message: string } };
const watch = (socket: Socket, users: unknown, event = 'postbode:watch'): Promise<Ack> =>
  socket.timeout(10_000).emitWithAck(event, users === undefined ? undefined : { users });
const changes = (events: Array<{ event: string; args: unknown[] }>) =>
  events
    .filter((e) => e.event === 'presence.changed')
    .map((e) => {
      const [data, meta] = e.args as [
        { userId: string; status: string; lastSeenAt?: number },
        { site: string },
      ];
      return `${meta.site}/${data.userId}:${data.status}${data.status === 'offline' && typeof data.lastSeenAt === 'number' ? '+lastSeenAt' : ''}`;
    });

describe('presence across gateway processes (contract 7)', () => {
  it('two tabs on two nodes: one online entry; both closed at once: one offline entry, after the grace', async () => {
    const a = await node();
    const b = await node();
    const tabA = await connect(a.url, '42');
    const tabB = await connect(b.url, '42');
    await waitForEntries('42', 1);
    expect(await online()).toEqual(['42']);
    tabA.socket.disconnect();
    tabB.socket.disconnect();
    await waitForEntries('42', 2);
    await marker(a.url, 'marker');
    const all = await entries();
    expect(of(all, '42')).toEqual(['presence.online', 'presence.offline']);
    const [up, down] = all.filter((e) => e.user === '42');
    expect(up?.data).toEqual({ reason: 'connected' });
    expect(down?.data.reason).toBe('closed');
    expect([up?.type, up?.reason, up?.time]).toEqual(['presence.online', 'connected', up?.ts]);
    expect([down?.type, down?.reason, down?.time]).toEqual([
      'presence.offline',
      'closed',
      down?.ts,
    ]);
    expect(typeof down?.data.lastSeenAt).toBe('number');
    expect(up?.id).not.toBe(down?.id);
    expect(await online()).toEqual([]);
    expect(Number(await client.hget('postbode:presence:nl:last-seen', '42'))).toBe(
      down?.data.lastSeenAt,
    );
  });

  it('one tab closes, the other stays: no offline until the last one closes', async () => {
    const a = await node();
    const b = await node();
    const tabA = await connect(a.url, '7');
    await connect(b.url, '7');
    await waitForEntries('7', 1);
    tabA.socket.disconnect();
    await marker(a.url, 'marker');
    expect(of(await entries(), '7')).toEqual(['presence.online']);
    expect(await online()).toEqual(['7']);
  });

  it('a reload that lands on another node within the grace: no entry, no event', async () => {
    const a = await node();
    const b = await node();
    const watcher = await connect(b.url, 'watcher');
    expect(await watch(watcher.socket, ['5'])).toEqual({ ok: true, online: [] });
    const first = await connect(a.url, '5');
    await waitForEntries('5', 1);
    first.socket.disconnect();
    await connect(b.url, '5');
    await marker(a.url, 'marker');
    expect(of(await entries(), '5')).toEqual(['presence.online']);
    expect(changes(watcher.events)).toEqual(['nl/5:online']);
  });

  it('SIGKILL of a node: its users go offline within the TTL, exactly one entry each across three nodes; a user also on another node stays', async () => {
    const a = await node();
    const b = await node();
    await node();
    const users = ['1', '2', '3', '4', '5'];
    for (const user of users) await connect(a.url, user);
    await connect(b.url, '3');
    for (const user of users) await waitForEntries(user, 1);
    await a.kill();
    for (const user of ['1', '2', '4', '5']) await waitForEntries(user, 2);
    await marker(b.url, 'marker');
    const all = await entries();
    const offline = all.filter((e) => e.action === 'presence.offline' && users.includes(e.user));
    expect(`offline entries: ${offline.length} for 4 users`).toBe('offline entries: 4 for 4 users');
    expect(offline.map((e) => e.user).sort()).toEqual(['1', '2', '4', '5']);
    for (const e of offline) {
      expect(e.data).toMatchObject({ reason: 'node_expired' });
      expect(typeof e.data.lastSeenAt).toBe('number');
    }
    expect(of(all, '3')).toEqual(['presence.online']);
    expect(await online()).toEqual(['3']);
  });

  it('SIGSTOP past the TTL, then SIGCONT: its users are reaped once, then announced again once', async () => {
    const a = await node();
    const b = await node();
    await connect(a.url, '10');
    await connect(a.url, '11');
    await waitForEntries('10', 1);
    await waitForEntries('11', 1);
    a.signal('SIGSTOP');
    await waitForEntries('10', 2);
    await waitForEntries('11', 2);
    expect(await online()).toEqual([]);
    a.signal('SIGCONT');
    await waitForEntries('10', 3);
    await waitForEntries('11', 3);
    await marker(b.url, 'marker');
    await marker(a.url, 'marker-a');
    const all = await entries();
    for (const user of ['10', '11']) {
      expect(of(all, user)).toEqual(['presence.online', 'presence.offline', 'presence.online']);
    }
    expect(all.find((e) => e.user === '10' && e.action === 'presence.offline')?.data.reason).toBe(
      'node_expired',
    );
    expect((await online()).sort()).toEqual(['10', '11']);
  });

  it('a draining node hands its users over: one reconnecting elsewhere within the grace stays online, one not reconnecting goes offline', async () => {
    const a = await node({ POSTBODE_PRESENCE_GRACE: '4' });
    const b = await node({ POSTBODE_PRESENCE_GRACE: '4' });
    await connect(a.url, '20');
    await connect(a.url, '21');
    await waitForEntries('20', 1);
    await waitForEntries('21', 1);
    await a.stop();
    await connect(b.url, '20');
    await waitForEntries('21', 2);
    expect(of(await entries(), '20')).toEqual(['presence.online']);
    expect(of(await entries(), '21')).toEqual(['presence.online', 'presence.offline']);
    expect(await online()).toEqual(['20']);
  });
});

describe('postbode:watch across gateway processes (contract 7)', () => {
  it('snapshot, then changes from a socket on another node, only of its own site', async () => {
    const a = await node();
    const b = await node();
    await connect(a.url, '43');
    await waitForEntries('43', 1);
    const watcher = await connect(b.url, 'w');
    expect(await watch(watcher.socket, ['42', '43'])).toEqual({ ok: true, online: ['43'] });
    const beWatcher = await connect(b.url, 'w', 'be');
    expect(await watch(beWatcher.socket, ['42'])).toEqual({ ok: true, online: [] });
    const other = await connect(a.url, '42', 'be');
    await waitForEntries('42', 1, 'be');
    const user = await connect(a.url, '42');
    await waitUntil(() => changes(watcher.events).length >= 1, { description: 'online event' });
    user.socket.disconnect();
    other.socket.disconnect();
    await waitUntil(() => changes(watcher.events).length >= 2, { description: 'offline event' });
    await waitUntil(() => changes(beWatcher.events).length >= 2, { description: 'be events' });
    expect(changes(watcher.events)).toEqual(['nl/42:online', 'nl/42:offline+lastSeenAt']);
    expect(changes(beWatcher.events)).toEqual(['be/42:online', 'be/42:offline+lastSeenAt']);
    expect(watcher.socket.connected).toBe(true);
  });

  it('unwatch stops the events; a malformed or oversized watch gets an error ack and watches nothing; the socket keeps working', async () => {
    const a = await node();
    const watcher = await connect(a.url, 'w');
    expect(await watch(watcher.socket, 'nope')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    expect(await watch(watcher.socket, undefined)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    expect(await watch(watcher.socket, [1, 2])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    const refused = await watch(watcher.socket, many);
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(refused.error?.message).toContain('1000');
    // Exactly the limit is accepted; ids already watched do not count again.
    expect(await watch(watcher.socket, many.slice(0, 1000))).toMatchObject({ ok: true });
    expect(await watch(watcher.socket, many.slice(0, 1000))).toMatchObject({ ok: true });
    expect(await watch(watcher.socket, ['one-more'])).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    });
    expect(await watch(watcher.socket, many.slice(0, 1000), 'postbode:unwatch')).toEqual({
      ok: true,
    });
    expect(await watch(watcher.socket, ['60', '61'])).toEqual({ ok: true, online: [] });
    expect(await watch(watcher.socket, ['61'], 'postbode:unwatch')).toEqual({ ok: true });
    await connect(a.url, '61');
    await connect(a.url, '60');
    await waitUntil(() => changes(watcher.events).length >= 1, { description: 'online of 60' });
    await marker(a.url, 'marker');
    expect(changes(watcher.events)).toEqual(['nl/60:online']);
    expect(watcher.socket.connected).toBe(true);
  });
});

describe('presence with the embedded bus (no Redis, one node)', () => {
  it('watch snapshot and changes on the one node, with the grace', async () => {
    const gateway = await startGatewayProcess({
      entry,
      env: { POSTBODE_PRESENCE_GRACE: '1' },
    });
    processes.push(gateway);
    const first = await connect(gateway.url, '8');
    const watcher = await connect(gateway.url, 'w');
    expect(await watch(watcher.socket, ['8', '9'])).toEqual({ ok: true, online: ['8'] });
    // A reload within the grace: no event.
    first.socket.disconnect();
    const again = await connect(gateway.url, '8');
    const nine = await connect(gateway.url, '9');
    await waitUntil(() => changes(watcher.events).length >= 1, { description: 'online of 9' });
    again.socket.disconnect();
    nine.socket.disconnect();
    await waitUntil(() => changes(watcher.events).length >= 3, { description: 'both offline' });
    expect(changes(watcher.events).sort()).toEqual([
      'nl/8:offline+lastSeenAt',
      'nl/9:offline+lastSeenAt',
      'nl/9:online',
    ]);
  });
});
