import { type RedisServer, startRedis } from '@postbode/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPresenceScripts, type PresenceOp } from '../src/presence/presence-scripts.js';

// presence-tick.lua reaps a dead node's users in bounded calls: a node that held thousands of
// users must not block Redis (and every PUBLISH of every gateway) for one long script. Run
// against a real redis-server, with the scripts the gateway uses.

const PREFIX = 'postbode:presence';
const STREAM = 'postbode:events';
const SITE = 'nl';
const USERS = 2_500;
const LIMIT = 1_000;
const TTL_MS = 60_000;

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

/**
 * A node `dead` that announced `USERS` users (one of them, `shared`, also on `alive-1`), then
 * lost its heartbeat (deleted, as its expiry would).
 */
async function deadNodeWithUsers(): Promise<void> {
  await redis.flushall();
  const scripts = bindPresenceScripts(redis);
  for (const node of ['dead', 'alive-1', 'alive-2']) {
    await scripts.tick(node, PREFIX, STREAM, TTL_MS, `${node}-setup`, LIMIT);
  }
  const ops: PresenceOp[] = Array.from({ length: USERS }, (_, i) => ({
    op: '+',
    site: SITE,
    user: `u${i}`,
  }));
  for (let i = 0; i < ops.length; i += 500) {
    await scripts.batch('dead', PREFIX, STREAM, 'dead-batch', 30_000, ops.slice(i, i + 500));
  }
  await scripts.batch('alive-1', PREFIX, STREAM, 'alive-batch', 30_000, [
    { op: '+', site: SITE, user: 'u0' },
  ]);
  await redis.del(`${PREFIX}-node:dead`);
}

/** The `presence.offline` entries on the events stream, by user. */
async function offlineEntries(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [, fields] of await redis.xrange(STREAM, '-', '+')) {
    const entry = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) entry.set(fields[i] ?? '', fields[i + 1] ?? '');
    if (entry.get('action') !== 'presence.offline') continue;
    expect(JSON.parse(entry.get('data') ?? '{}')).toMatchObject({
      reason: 'node_expired',
      expiredNode: 'dead',
    });
    const user = entry.get('user') ?? '';
    counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return counts;
}

describe('reaping a dead node', () => {
  it(`takes at most the limit per call: ${USERS} users in calls of ${LIMIT}, each offline once`, async () => {
    await deadNodeWithUsers();
    const scripts = bindPresenceScripts(redis);
    const calls: Array<{ reaped: number; unreaped: boolean }> = [];
    for (;;) {
      const { reaped, unreaped } = await scripts.tick(
        'alive-1',
        PREFIX,
        STREAM,
        TTL_MS,
        'r',
        LIMIT,
      );
      calls.push({ reaped, unreaped });
      if (!unreaped) break;
    }
    // u0 is also on alive-1: taken from the dead node, but not offline.
    expect(calls).toEqual([
      { reaped: expect.any(Number), unreaped: true },
      { reaped: expect.any(Number), unreaped: true },
      { reaped: expect.any(Number), unreaped: false },
    ]);
    for (const call of calls) expect(call.reaped).toBeLessThanOrEqual(LIMIT);
    expect(calls.reduce((sum, call) => sum + call.reaped, 0)).toBe(USERS - 1);
    const offline = await offlineEntries();
    expect(
      `offline entries: ${[...offline.values()].reduce((a, b) => a + b, 0)} for ${offline.size} users`,
    ).toBe(`offline entries: ${USERS - 1} for ${USERS - 1} users`);
    expect(offline.has('u0')).toBe(false);
    expect(await redis.zscore(`${PREFIX}:${SITE}:online`, 'u0')).not.toBeNull();
    expect(await redis.zcard(`${PREFIX}:${SITE}:online`)).toBe(1);
    // Nothing of the dead node is left: its users' set, its sites, its place among the nodes.
    expect(await redis.exists(`${PREFIX}:${SITE}:node:dead`, `${PREFIX}-node:dead:sites`)).toBe(0);
    expect(await redis.zscore(`${PREFIX}-nodes`, 'dead')).toBeNull();
  });

  it('two nodes reaping at the same time take disjoint users: each user offline exactly once', async () => {
    await deadNodeWithUsers();
    const scripts = bindPresenceScripts(redis);
    const reapAll = async (node: string): Promise<number> => {
      let total = 0;
      for (;;) {
        // A small limit, so that the two nodes' calls interleave many times.
        const { reaped, unreaped } = await scripts.tick(node, PREFIX, STREAM, TTL_MS, node, 100);
        total += reaped;
        if (!unreaped) return total;
      }
    };
    const [first, second] = await Promise.all([reapAll('alive-1'), reapAll('alive-2')]);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first + second).toBe(USERS - 1);
    const offline = await offlineEntries();
    expect(offline.size).toBe(USERS - 1);
    expect([...offline.values()].every((count) => count === 1)).toBe(true);
    expect(await redis.zscore(`${PREFIX}-nodes`, 'dead')).toBeNull();
  });
});
