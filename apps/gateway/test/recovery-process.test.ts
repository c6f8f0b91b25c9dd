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
import { appendToStream, bodies, connectWithSync, messageTo, readMetric } from './support.js';

// Contract 6 under real faults: gateway processes killed (SIGKILL) and frozen (SIGSTOP), each
// test ending with what was lost, counted.

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
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
  await Promise.all(processes.splice(0).map((gateway) => gateway.stop()));
  await client.flushall();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

async function node(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    entry,
    env: { POSTBODE_REDIS_URL: redis.url, ...env },
  });
  processes.push(gateway);
  return gateway;
}
async function connect(...args: Parameters<typeof connectWithSync>) {
  const synced = await connectWithSync(...args);
  open.push(synced.socket);
  return synced;
}
/** The offset of the last message a socket got: the cursor a client keeps. */
const lastOffset = (events: Array<{ event: string; args: unknown[] }>): string => {
  const last = events.filter((e) => e.event === 'message.created').at(-1);
  if (last === undefined) throw new Error('no message yet');
  return (last.args[1] as { offset: string }).offset;
};
const messages = (user: string, prefix: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => messageTo({ users: [user] }, `${prefix}-${from + i}`));

describe('recovery across gateway processes', () => {
  it('SIGKILL of the node a client is on: it resumes on the other node, lost: 0 of 200', async () => {
    const a = await node();
    const b = await node();
    const first = await connect(a.url, { sub: '42' });
    await appendToStream(client, messages('42', 'm', 0, 100));
    await waitUntil(() => bodies(first.events).length === 100, { description: '100 live on a' });
    const cursor = { epoch: first.sync.epoch, offset: lastOffset(first.events) };
    await a.kill();
    await appendToStream(client, messages('42', 'm', 100, 100));
    const second = await connect(b.url, { sub: '42' }, cursor);
    expect(second.sync).toMatchObject({ recovered: true, replayed: 100, epoch: cursor.epoch });
    const got = [...bodies(first.events), ...bodies(second.replayed)];
    const lost = Array.from({ length: 200 }, (_, i) => `m-${i}`).filter((b) => !got.includes(b));
    expect(`lost: ${lost.length} of 200`).toBe('lost: 0 of 200');
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => `m-${i}`));
  });

  it('SIGSTOP of a node while 20,000 entries are appended, then SIGCONT: it catches up, its socket misses nothing', async () => {
    const a = await node();
    const socket = await connect(a.url, { sub: '7' }, undefined, { transports: ['websocket'] });
    a.signal('SIGSTOP');
    try {
      for (let from = 0; from < 20_000; from += 2_000) {
        await appendToStream(client, messages('7', 'm', from, 2_000));
      }
    } finally {
      a.signal('SIGCONT');
    }
    await waitUntil(() => bodies(socket.events).length >= 20_000, {
      timeoutMs: 60_000,
      description: '20,000 messages after SIGCONT',
    });
    const got = bodies(socket.events);
    const expected = Array.from({ length: 20_000 }, (_, i) => `m-${i}`);
    const missing = expected.filter((_, i) => got[i] !== expected[i]).length;
    expect(`lost: ${missing} of 20000`).toBe('lost: 0 of 20000');
    expect(got).toHaveLength(20_000);
    expect(socket.socket.connected).toBe(true);
  });

  it('a node frozen past the retention finds entries trimmed before it read them: its sockets get sync trimmed, never silence', async () => {
    const env = { POSTBODE_HISTORY_MAX_ENTRIES: '100' };
    const a = await node(env);
    await node(env); // keeps trimming while a is frozen
    const socket = await connect(a.url, { sub: '9' }, undefined, { transports: ['websocket'] });
    a.signal('SIGSTOP');
    try {
      await appendToStream(client, messages('9', 'm', 0, 1_000));
      await waitUntil(async () => (await client.xlen('postbode:stream')) <= 100, {
        description: 'the other node trimmed the stream',
      });
    } finally {
      a.signal('SIGCONT');
    }
    await waitUntil(() => socket.events.filter((e) => e.event === 'postbode:sync').length === 2, {
      description: 'a second postbode:sync',
    });
    const told = socket.events.filter((e) => e.event === 'postbode:sync')[1]?.args[0];
    expect(told).toMatchObject({ recovered: false, reason: 'trimmed', replayed: 0 });
    expect(await readMetric(a.url, 'postbode_stream_entries_missed_total')).toBe(900);
    // The offset it was told is a valid cursor: a reconnect from there misses nothing.
    const { offset, epoch } = told as { offset: string; epoch: string };
    const again = await connect(a.url, { sub: '9' }, { epoch, offset });
    expect(again.sync).toMatchObject({ recovered: true, replayed: 0 });
  });
});
