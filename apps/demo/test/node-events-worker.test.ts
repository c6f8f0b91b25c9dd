import { type RedisServer, startRedis, waitUntil } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BackendEvent,
  type NodeEventsWorker,
  startNodeEventsWorker,
} from '../server/node-events-worker.js';

// The Node demo's worker against a real redis-server: entries as the gateway appends them
// (README, contract 8), read in batches, acknowledged after the handler, re-delivered when left
// pending, unreadable ones dead-lettered.
const STREAM = 'postbode:events';
const GROUP = 'postbode-workers';

let server: RedisServer;
let redis: Redis;
let worker: NodeEventsWorker | undefined;

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

/** Appends an entry with the gateway's fields. */
const append = (action: string, id: string, data: unknown, user = '2'): Promise<string | null> =>
  redis.xadd(
    STREAM,
    '*',
    'action',
    action,
    'site',
    'nl',
    'user',
    user,
    'id',
    id,
    'ts',
    '1700000000000',
    'node',
    'node-a',
    'data',
    JSON.stringify(data),
  );

/** Pending entries of the group and how many it has not read yet. */
async function groupState(): Promise<{ pending: number; lag: number }> {
  const groups = (await redis.xinfo('GROUPS', STREAM)) as unknown[][];
  const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === GROUP) ?? [];
  return {
    pending: group[group.indexOf('pending') + 1] as number,
    lag: group[group.indexOf('lag') + 1] as number,
  };
}

describe('the Node demo event worker', () => {
  it('hands every receipt to its handler with the fields from the stream, and acknowledges it', async () => {
    const seen: BackendEvent[] = [];
    worker = await startNodeEventsWorker({
      redisUrl: server.url,
      batch: 10,
      blockMs: 100,
      handler: {
        messageDelivered: async (event) => void seen.push(event),
        messageRead: async (event) => void seen.push(event),
      },
    });
    const n = 25;
    for (let i = 0; i < n; i++) {
      await append('message.delivered', `d-${i}`, {
        conversationId: 'c-1-2',
        messageIds: [`m-${i}`],
      });
    }
    await append('message.read', 'r-1', { conversationId: 'c-1-2', lastReadMessageId: 'm-24' });
    await append('presence.online', 'p-1', { userId: '2' });
    await waitUntil(async () => worker?.handled['presence.online'] === 1, {
      timeoutMs: 10_000,
      description: 'the worker to handle every entry',
    });
    const ids = seen.map((event) => event.id);
    const lost = [...Array.from({ length: n }, (_, i) => `d-${i}`), 'r-1'].filter(
      (id) => !ids.includes(id),
    );
    expect(`lost: ${lost.length} of ${n + 1}`).toBe(`lost: 0 of ${n + 1}`);
    expect(ids).toHaveLength(n + 1);
    expect(seen.at(-1)).toMatchObject({
      action: 'message.read',
      site: 'nl',
      user: '2',
      ts: 1700000000000,
      node: 'node-a',
      data: { conversationId: 'c-1-2', lastReadMessageId: 'm-24' },
    });
    expect(worker.handled).toEqual({
      'message.delivered': n,
      'message.read': 1,
      'presence.online': 1,
    });
    expect(await groupState()).toEqual({ pending: 0, lag: 0 });
  });

  it('leaves an entry whose handler threw pending and handles it again after minIdleMs', async () => {
    let attempts = 0;
    const errors: string[] = [];
    worker = await startNodeEventsWorker({
      redisUrl: server.url,
      blockMs: 50,
      minIdleMs: 200,
      onError: (message) => errors.push(message),
      handler: {
        messageDelivered: async () => {
          attempts++;
          if (attempts === 1) throw new Error('the database is down');
        },
        messageRead: async () => undefined,
      },
    });
    await append('message.delivered', 'd-1', { conversationId: 'c-1-2', messageIds: ['m-1'] });
    await waitUntil(async () => worker?.handled['message.delivered'] === 1, {
      timeoutMs: 10_000,
      description: 'the re-delivery',
    });
    expect(attempts).toBe(2);
    expect(errors).toEqual([expect.stringContaining('d-1 failed; the entry stays pending')]);
    expect(await groupState()).toEqual({ pending: 0, lag: 0 });
  });

  it('claims what a crashed worker left pending (XAUTOCLAIM)', async () => {
    await redis.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
    for (let i = 0; i < 3; i++) {
      await append('message.delivered', `d-${i}`, { conversationId: 'c-1-2', messageIds: ['m'] });
    }
    // Another worker read them and died before acknowledging.
    await redis.xreadgroup('GROUP', GROUP, 'crashed', 'COUNT', 10, 'STREAMS', STREAM, '>');
    expect((await groupState()).pending).toBe(3);
    const seen: string[] = [];
    worker = await startNodeEventsWorker({
      redisUrl: server.url,
      blockMs: 50,
      minIdleMs: 100,
      handler: {
        messageDelivered: async (event) => void seen.push(event.id),
        messageRead: async () => undefined,
      },
    });
    await waitUntil(async () => (await groupState()).pending === 0, {
      timeoutMs: 10_000,
      description: 'the pending entries to be claimed and acknowledged',
    });
    expect(seen.sort()).toEqual(['d-0', 'd-1', 'd-2']);
  });

  it('moves an unreadable entry to the dead-letter stream and acknowledges it', async () => {
    worker = await startNodeEventsWorker({
      redisUrl: server.url,
      blockMs: 50,
      handler: { messageDelivered: async () => undefined, messageRead: async () => undefined },
    });
    const entry = await redis.xadd(STREAM, '*', 'action', 'message.read', 'data', 'not json');
    await waitUntil(async () => (await redis.xlen(`${STREAM}:dead`)) === 1, {
      timeoutMs: 10_000,
      description: 'the dead-letter entry',
    });
    const dead = (await redis.xrange(`${STREAM}:dead`, '-', '+')) as [string, string[]][];
    expect(dead.map(([, fields]) => fields)).toEqual([
      ['action', 'message.read', 'data', 'not json', 'entry', entry, 'group', GROUP],
    ]);
    await waitUntil(async () => (await groupState()).pending === 0, { timeoutMs: 10_000 });
  });

  it('stops while blocked in XREADGROUP, and closes its connections', async () => {
    worker = await startNodeEventsWorker({
      redisUrl: server.url,
      // Longer than the test's timeout: only a stop that cuts the read lets it pass.
      blockMs: 120_000,
      handler: { messageDelivered: async () => undefined, messageRead: async () => undefined },
    });
    const clients = (): Promise<number> =>
      redis.client('LIST').then((list) => String(list).trim().split('\n').length);
    expect(await clients()).toBe(3);
    await worker.stop();
    worker = undefined;
    await waitUntil(async () => (await clients()) === 1, {
      timeoutMs: 5_000,
      description: 'the worker to close its connections',
    });
  });
});
