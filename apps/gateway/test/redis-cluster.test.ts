import { fileURLToPath } from 'node:url';
import { type GatewayProcess, startGatewayProcess, waitUntil } from '@postbode/testkit';
import { Cluster } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisClusterSet, startRedisCluster } from './redis-topologies.js';
import { bodies, connectWithSync, messageTo } from './support.js';

// Issue 14, highly available Redis: a Redis Cluster of three masters created by the test, two
// gateway processes on it with the keys hash-tagged as the README says. Every script and
// multi-key command must run on one slot, or Redis answers CROSSSLOT / "non local key".

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PUBLISH_KEY = 'cluster-test-publish-key';
const KEYS = {
  POSTBODE_STREAM: '{postbode}:stream',
  POSTBODE_EVENTS_STREAM: '{postbode-presence}:events',
  POSTBODE_PRESENCE_PREFIX: '{postbode-presence}:presence',
};
let cluster: RedisClusterSet;
let redis: Cluster;
let a: GatewayProcess;
let b: GatewayProcess;
const open: Socket[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  redis = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  const node = () =>
    startGatewayProcess({
      entry,
      env: {
        POSTBODE_REDIS_URL: cluster.url,
        POSTBODE_PUBLISH_KEY: PUBLISH_KEY,
        POSTBODE_PRESENCE_GRACE: '1',
        POSTBODE_PRESENCE_TTL: '2',
        ...KEYS,
      },
    });
  [a, b] = await Promise.all([node(), node()]);
}, 90_000);
afterAll(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  await Promise.all([a?.stop(), b?.stop()]);
  redis?.disconnect();
  await cluster?.stop();
});

async function connect(...args: Parameters<typeof connectWithSync>) {
  const synced = await connectWithSync(...args);
  open.push(synced.socket);
  return synced;
}
async function publish(url: string, envelope: unknown): Promise<number> {
  const response = await fetch(`${url}/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PUBLISH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return response.status;
}
const slotOf = async (key: string): Promise<number> =>
  Number(await redis.call('CLUSTER', 'KEYSLOT', key));

describe('Redis Cluster (three masters)', () => {
  it('the keys that scripts touch together are on one slot, and the stream and presence on different nodes is fine', async () => {
    expect(await slotOf('{postbode}:stream')).toBe(await slotOf('{postbode}:stream:meta'));
    const presence = await slotOf('{postbode-presence}:events');
    for (const key of [
      '{postbode-presence}:presence:nl:online',
      '{postbode-presence}:presence-pending',
      '{postbode-presence}:presence-nodes',
      '{postbode-presence}:presence-node:x:sites',
    ]) {
      expect(await slotOf(key)).toBe(presence);
    }
    // The test is only meaningful if the cluster really spreads keys: the default names would not
    // share a slot.
    expect(await slotOf('postbode:stream')).not.toBe(await slotOf('postbode:stream:meta'));
  });

  it('delivery from POST /publish, XADD (the PHP path) and PUBLISH on the channel to sockets on both nodes; lost: 0 of 300', async () => {
    const onA = await connect(a.url, { sub: '42' }, undefined, { transports: ['websocket'] });
    const onB = await connect(b.url, { sub: '42' }, undefined, { transports: ['polling'] });
    const expected: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      expect(
        await publish(i % 2 === 0 ? a.url : b.url, messageTo({ users: ['42'] }, `p-${i}`)),
      ).toBe(202);
      expected.push(`p-${i}`);
    }
    for (let i = 0; i < 100; i += 1) {
      await redis.xadd(
        '{postbode}:stream',
        '*',
        'envelope',
        JSON.stringify(messageTo({ users: ['42'] }, `x-${i}`)),
      );
      expected.push(`x-${i}`);
    }
    // The live-only channel: both nodes subscribed before this (readiness requires it).
    for (let i = 0; i < 100; i += 1) {
      await redis.publish('postbode', JSON.stringify(messageTo({ users: ['42'] }, `c-${i}`)));
      expected.push(`c-${i}`);
    }
    for (const socket of [onA, onB]) {
      await waitUntil(() => bodies(socket.events).length >= 300, {
        timeoutMs: 30_000,
        description: '300 messages',
      });
      const got = new Set(bodies(socket.events));
      const lost = expected.filter((body) => !got.has(body));
      expect(`lost: ${lost.length} of 300`).toBe('lost: 0 of 300');
    }
  });

  it('recovery: a client that comes back on the other node with its cursor is recovered; lost: 0 of 50', async () => {
    const first = await connect(a.url, { sub: '7' });
    for (let i = 0; i < 25; i += 1) {
      expect(await publish(a.url, messageTo({ users: ['7'] }, `r-${i}`))).toBe(202);
    }
    await waitUntil(() => bodies(first.events).length === 25, { description: '25 live on a' });
    const last = first.events.filter((e) => e.event === 'message.created').at(-1);
    const cursor = {
      epoch: first.sync.epoch,
      offset: (last?.args[1] as { offset: string } | undefined)?.offset ?? '',
    };
    first.socket.disconnect();
    for (let i = 25; i < 50; i += 1) {
      expect(await publish(a.url, messageTo({ users: ['7'] }, `r-${i}`))).toBe(202);
    }
    const second = await connect(b.url, { sub: '7' }, cursor);
    expect(second.sync).toMatchObject({ recovered: true, replayed: 25, epoch: cursor.epoch });
    const got = [...bodies(first.events), ...bodies(second.replayed)];
    const all = Array.from({ length: 50 }, (_, i) => `r-${i}`);
    const lost = all.filter((body) => !got.includes(body));
    expect(`lost: ${lost.length} of 50`).toBe('lost: 0 of 50');
    expect(got).toEqual(all);
  });

  it('presence across the two nodes: a watcher on b sees a user on a come online and go offline after the grace; one entry each on the events stream', async () => {
    const watcher = await connect(b.url, { sub: 'watcher', site: 'nl' });
    const ack = await watcher.socket
      .timeout(10_000)
      .emitWithAck('postbode:watch', { users: ['5'] });
    expect(ack).toEqual({ ok: true, online: [] });
    const user = await connect(a.url, { sub: '5', site: 'nl' });
    const changes = () =>
      watcher.events
        .filter((e) => e.event === 'presence.changed')
        .map((e) => (e.args[0] as { status: string }).status);
    await waitUntil(() => changes().length === 1, { description: 'online on the watcher' });
    expect(await redis.zscore('{postbode-presence}:presence:nl:online', '5')).not.toBeNull();
    user.socket.disconnect();
    await waitUntil(() => changes().length === 2, {
      timeoutMs: 20_000,
      description: 'offline after the grace',
    });
    expect(changes()).toEqual(['online', 'offline']);
    const entries = (await redis.xrange('{postbode-presence}:events', '-', '+')).filter(
      ([, fields]) => fields.includes('nl') && fields.includes('5'),
    );
    expect(entries.map(([, fields]) => fields[fields.indexOf('type') + 1])).toEqual([
      'presence.online',
      'presence.offline',
    ]);
  });

  it('neither node logged a Redis error (CROSSSLOT, a non-local key, a failed script)', () => {
    for (const node of [a, b]) {
      expect(node.output).not.toMatch(/CROSSSLOT|non local key|different slot|failed|could not/i);
    }
  });
});
