import { type RedisServer, startRedis, waitUntil } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  appendToStream,
  bodies,
  connectWithSync,
  messageTo,
  readMetric,
  startTestGateway,
  type TestGateway,
} from './support.js';

// Contract 6 on one node (in-process gateways on a real redis-server). The faults that need
// processes (SIGKILL, SIGSTOP) are in recovery-process.test.ts.

let redis: RedisServer;
let client: Redis;
const open: Socket[] = [];
const gateways: TestGateway[] = [];

async function gateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gw = await startTestGateway({
    POSTBODE_REDIS_URL: redis.url,
    POSTBODE_STREAM: stream,
    ...env,
  });
  gateways.push(gw);
  await waitUntil(() => gw.gateway.ready, { description: 'gateway ready' });
  return gw;
}
async function connect(...args: Parameters<typeof connectWithSync>) {
  const synced = await connectWithSync(...args);
  open.push(synced.socket);
  return synced;
}

let stream = 'postbode:stream';
let streams = 0;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  client.on('error', () => undefined); // reconnects by itself across the restart
});
afterEach(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  await Promise.all(gateways.splice(0).map((gw) => gw.close()));
  // Each test has a stream of its own.
  streams += 1;
  stream = `test-${streams}:stream`;
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const messages = (user: string, prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => messageTo({ users: [user] }, `${prefix}-${i}`));

describe('postbode:sync and resume from a cursor', () => {
  it('a first connection gets sync { recovered: false, reason: "no_cursor" } with the epoch and the end of the stream', async () => {
    const gw = await gateway();
    const [last] = await appendToStream(client, messages('9', 'before', 1), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 1,
    );
    const { sync, replayed } = await connect(gw.url, { sub: '1' });
    expect(sync).toEqual({
      epoch: expect.any(String),
      offset: last,
      recovered: false,
      replayed: 0,
      reason: 'no_cursor',
    });
    expect(replayed).toEqual([]);
  });

  it('the sync of sockets without a cursor (encoded once per position) follows the stream as it moves', async () => {
    const gw = await gateway();
    const [first] = await appendToStream(client, messages('9', 'a', 1), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 1,
    );
    const one = await connect(gw.url, { sub: '1' });
    const two = await connect(gw.url, { sub: '2' });
    expect([one.sync.offset, two.sync.offset]).toEqual([first, first]);
    const [second] = await appendToStream(client, messages('9', 'b', 1), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 2,
    );
    const three = await connect(gw.url, { sub: '3' });
    expect(three.sync).toMatchObject({ offset: second, recovered: false, reason: 'no_cursor' });
    // A malformed cursor is its own reason, at the same position.
    const four = await connect(gw.url, { sub: '4' }, { epoch: '', offset: 'x' });
    expect(four.sync).toMatchObject({ offset: second, recovered: false, reason: 'epoch' });
    expect(await readMetric(gw.url, 'postbode_syncs_total', { result: 'no_cursor' })).toBe(3);
  });

  it('replays what a user missed, in order, with the original meta, then sync, then live: lost 0 of 50', async () => {
    const gw = await gateway();
    const first = await connect(gw.url, { sub: '42' });
    const ids = await appendToStream(client, messages('42', 'seen', 3), stream);
    await waitUntil(() => bodies(first.events).length === 3);
    const liveMeta = first.events
      .filter((e) => e.event === 'message.created')
      .map((e) => e.args[1]);
    expect(liveMeta.map((meta) => (meta as { offset: string }).offset)).toEqual(ids);
    const cursor = { epoch: first.sync.epoch, offset: ids[2] as string };
    first.socket.disconnect();

    // Missed while away: 50 for this user, some for others, some to everyone.
    const missed = await appendToStream(
      client,
      [
        ...messages('42', 'missed', 25),
        ...messages('7', 'other', 10),
        ...messages('42', 'missed', 50).slice(25),
      ],
      stream,
    );
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 63,
    );
    const back = await connect(gw.url, { sub: '42' }, cursor);
    const expected = Array.from({ length: 50 }, (_, i) => `missed-${i}`);
    expect(bodies(back.replayed)).toEqual(expected);
    expect(back.sync).toMatchObject({ recovered: true, replayed: 50, epoch: cursor.epoch });
    expect(back.sync.offset).toBe(missed.at(-1));
    const offsets = back.replayed.map((e) => (e.args[1] as { offset: string }).offset);
    expect(offsets).toEqual([...missed.slice(0, 25), ...missed.slice(35)]);
    // Meta as delivered live: id and ts derive from the entry when the envelope has none.
    const meta = back.replayed[0]?.args[1];
    expect(meta).toEqual({
      id: missed[0],
      ts: Number(missed[0]?.split('-')[0]),
      site: 'default',
      offset: missed[0],
    });
    // Live after the sync, no gap, no duplicate.
    const later = await appendToStream(client, messages('42', 'live', 5), stream);
    await waitUntil(() => bodies(back.events).length === 55);
    const all = bodies(back.events);
    expect(all).toEqual([...expected, ...Array.from({ length: 5 }, (_, i) => `live-${i}`)]);
    expect(new Set(all).size).toBe(all.length);
    const lost = expected.filter((body) => !all.includes(body)).length;
    expect(`lost: ${lost} of 50`).toBe('lost: 0 of 50');
    expect(back.events.at(-1)?.args[1]).toMatchObject({ offset: later.at(-1) });
  });

  it('a replay carries exactly what the live delivery carried (non-ASCII text, ids and times from the envelope)', async () => {
    const gw = await gateway();
    const live = await connect(gw.url, { sub: '8' });
    const cursor = { epoch: live.sync.epoch, offset: live.sync.offset };
    const texts = ['héllo wörld', 'emoji 👋🏽 and 中文', 'quote " backslash \\ line\u2028sep', ''];
    await appendToStream(
      client,
      texts.map((text, i) =>
        messageTo({ users: ['8'] }, text, i % 2 === 0 ? { id: `own-${i}`, ts: 1764250000123 } : {}),
      ),
      stream,
    );
    await waitUntil(() => bodies(live.events).length === texts.length);
    const delivered = live.events.filter((e) => e.event === 'message.created');
    // The history keeps each message as the packet it was delivered as: a replay must decode
    // to the same arguments, byte for byte the same texts.
    const back = await connect(gw.url, { sub: '8' }, cursor);
    expect(back.sync).toMatchObject({ recovered: true, replayed: texts.length });
    expect(back.replayed.map((e) => [e.event, ...e.args])).toEqual(
      delivered.map((e) => [e.event, ...e.args]),
    );
    expect(bodies(back.replayed)).toEqual(texts);
    expect(back.replayed[0]?.args[1]).toMatchObject({ id: 'own-0', ts: 1764250000123 });
    // Over long-polling the replay takes engine.io's path (the packet text, not the frame).
    const polled = await connect(gw.url, { sub: '8' }, cursor, { transports: ['polling'] });
    expect(polled.socket.io.engine.transport.name).toBe('polling');
    expect(polled.replayed.map((e) => [e.event, ...e.args])).toEqual(
      delivered.map((e) => [e.event, ...e.args]),
    );
  });

  it('two tabs of one user each get their own replay', async () => {
    const gw = await gateway();
    const tab = await connect(gw.url, { sub: '5' });
    const cursor = { epoch: tab.sync.epoch, offset: tab.sync.offset };
    tab.socket.disconnect();
    await appendToStream(client, messages('5', 'm', 4), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 4,
    );
    const [a, b] = await Promise.all([
      connect(gw.url, { sub: '5' }, cursor),
      connect(gw.url, { sub: '5' }, cursor),
    ]);
    for (const synced of [a, b]) {
      expect(bodies(synced.replayed)).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
      expect(synced.sync).toMatchObject({ recovered: true, replayed: 4 });
    }
  });

  it('replays by role, to everyone on a site, never across sites', async () => {
    const gw = await gateway();
    const start = await connect(gw.url, { sub: '1', site: 'nl', roles: ['admin'] });
    const cursor = { epoch: start.sync.epoch, offset: start.sync.offset };
    start.socket.disconnect();
    await appendToStream(
      client,
      [
        messageTo({ roles: ['admin'] }, 'to-admins', { site: 'nl' }),
        messageTo({ all: true }, 'to-be', { site: 'be' }),
        messageTo({ users: ['1'] }, 'to-1-on-be', { site: 'be' }),
        messageTo({ all: true }, 'to-nl', { site: 'nl' }),
        messageTo({ users: ['1'], roles: ['admin'] }, 'once', { site: 'nl' }),
      ],
      stream,
    );
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 5,
    );
    const back = await connect(gw.url, { sub: '1', site: 'nl', roles: ['admin'] }, cursor);
    expect(bodies(back.replayed)).toEqual(['to-admins', 'to-nl', 'once']);
    expect(back.sync).toMatchObject({ recovered: true, replayed: 3 });
  });

  it('more missed than POSTBODE_RECOVERY_MAX: too_many and nothing replayed; exactly the maximum still recovers', async () => {
    const gw = await gateway({ POSTBODE_RECOVERY_MAX: '5' });
    const start = await connect(gw.url, { sub: '3' });
    const cursor = { epoch: start.sync.epoch, offset: start.sync.offset };
    start.socket.disconnect();
    await appendToStream(client, messages('3', 'm', 5), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 5,
    );
    const exactly = await connect(gw.url, { sub: '3' }, cursor);
    expect(exactly.sync).toMatchObject({ recovered: true, replayed: 5 });
    await appendToStream(client, messages('3', 'n', 1), stream);
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_history_retained_messages')) === 6,
    );
    const over = await connect(gw.url, { sub: '3' }, cursor);
    expect(over.sync).toMatchObject({ recovered: false, replayed: 0, reason: 'too_many' });
    expect(over.replayed).toEqual([]);
    // Its offset is a valid cursor: from there, nothing is missing.
    const next = await connect(
      gw.url,
      { sub: '3' },
      { epoch: over.sync.epoch, offset: over.sync.offset },
    );
    expect(next.sync).toMatchObject({ recovered: true, replayed: 0 });
  });

  it('a cursor whose messages were trimmed: trimmed, nothing replayed', async () => {
    const gw = await gateway({ POSTBODE_HISTORY_MAX_ENTRIES: '10' });
    const start = await connect(gw.url, { sub: '8' });
    const [firstId] = await appendToStream(client, messages('8', 'old', 1), stream);
    await waitUntil(() => bodies(start.events).length === 1);
    start.socket.disconnect();
    await appendToStream(client, messages('8', 'm', 20), stream);
    await waitUntil(async () => (await client.xlen(stream)) <= 10, {
      description: 'stream trimmed',
    });
    const back = await connect(
      gw.url,
      { sub: '8' },
      { epoch: start.sync.epoch, offset: firstId as string },
    );
    expect(back.sync).toMatchObject({ recovered: false, replayed: 0, reason: 'trimmed' });
    expect(back.replayed).toEqual([]);
  });

  it('a malformed cursor, one of another epoch and one past the end: epoch', async () => {
    const gw = await gateway();
    const start = await connect(gw.url, { sub: '2' });
    for (const cursor of [
      { epoch: 5, offset: '1-0' },
      { epoch: start.sync.epoch, offset: 'not-an-id' },
      { epoch: 'another-epoch', offset: start.sync.offset },
      { epoch: start.sync.epoch, offset: '99999999999999-0' },
    ]) {
      const synced = await connect(gw.url, { sub: '2' }, cursor);
      expect(synced.sync).toMatchObject({ recovered: false, replayed: 0, reason: 'epoch' });
      expect(synced.sync.epoch).toBe(start.sync.epoch);
    }
  });

  it('a cursor equal to the last id is recoverable even when every entry was trimmed', async () => {
    const gw = await gateway({ POSTBODE_HISTORY_MAX_ENTRIES: '1' });
    const start = await connect(gw.url, { sub: '6' });
    const ids = await appendToStream(client, messages('6', 'm', 3), stream);
    await waitUntil(() => bodies(start.events).length === 3);
    await client.xtrim(stream, 'MAXLEN', 0);
    const back = await connect(
      gw.url,
      { sub: '6' },
      { epoch: start.sync.epoch, offset: ids[2] as string },
    );
    expect(back.sync).toMatchObject({ recovered: true, replayed: 0 });
  });

  it('a node started later backfills the window and answers resumes it never saw live', async () => {
    const first = await gateway();
    const start = await connect(first.url, { sub: '11' });
    const cursor = { epoch: start.sync.epoch, offset: start.sync.offset };
    start.socket.disconnect();
    await appendToStream(client, messages('11', 'm', 30), stream);
    const late = await gateway();
    const back = await connect(late.url, { sub: '11' }, cursor);
    expect(back.sync).toMatchObject({ recovered: true, replayed: 30, epoch: cursor.epoch });
    const lost = 30 - bodies(back.replayed).length;
    expect(`lost: ${lost} of 30`).toBe('lost: 0 of 30');
  });

  it('a raw PUBLISH on the channel is delivered live, without an offset, and is not recoverable', async () => {
    const gw = await gateway();
    const live = await connect(gw.url, { sub: '12' });
    const cursor = { epoch: live.sync.epoch, offset: live.sync.offset };
    await redis.publish('postbode', JSON.stringify(messageTo({ users: ['12'] }, 'legacy')));
    await waitUntil(() => bodies(live.events).length === 1);
    const meta = live.events.find((e) => e.event === 'message.created')?.args[1];
    expect(meta).not.toHaveProperty('offset');
    live.socket.disconnect();
    const back = await connect(gw.url, { sub: '12' }, cursor);
    expect(back.sync).toMatchObject({ recovered: true, replayed: 0 });
  });

  it('Redis restarted without its data: a resume gets epoch, connected sockets are told', async () => {
    const gw = await gateway();
    const staying = await connect(gw.url, { sub: '13' });
    const leaving = await connect(gw.url, { sub: '14' });
    const cursor = { epoch: leaving.sync.epoch, offset: leaving.sync.offset };
    leaving.socket.disconnect();
    /** The connected socket's n-th `postbode:sync` (1-based), once it has come. */
    const nthSync = async (n: number) => {
      const syncs = () => staying.events.filter((e) => e.event === 'postbode:sync');
      await waitUntil(() => syncs().length >= n, {
        description: `postbode:sync number ${n} on the connected socket`,
      });
      return syncs()[n - 1]?.args[0] as { epoch: string; recovered: boolean; reason: string };
    };
    await redis.restart();
    const told = await nthSync(2);
    expect(told).toMatchObject({ recovered: false, reason: 'epoch' });
    expect(told.epoch).not.toBe(cursor.epoch);
    await waitUntil(() => gw.gateway.ready, { description: 'ready again' });
    const back = await connect(gw.url, { sub: '14' }, cursor);
    expect(back.sync).toMatchObject({ recovered: false, reason: 'epoch', epoch: told.epoch });
    // Delivery resumes on the new history.
    await appendToStream(client, messages('13', 'after', 1), stream);
    await waitUntil(() => bodies(staying.events).includes('after-0'));
    // Lost again: a third history, never one of the earlier epochs (the node keeps one epoch
    // candidate between reads and draws a new one once Redis adopted it).
    await redis.restart();
    const third = await nthSync(3);
    expect(third.reason).toBe('epoch');
    expect(new Set([cursor.epoch, told.epoch, third.epoch]).size).toBe(3);
  });
});

describe('the embedded bus (no Redis) keeps a history too', () => {
  it('POST /publish messages are replayed on resume', async () => {
    const gw = await startTestGateway({ POSTBODE_PUBLISH_KEY: 'publish-key-0123456789' });
    gateways.push(gw);
    const start = await connect(gw.url, { sub: '21' });
    const cursor = { epoch: start.sync.epoch, offset: start.sync.offset };
    start.socket.disconnect();
    for (const envelope of messages('21', 'm', 3)) {
      const response = await fetch(`${gw.url}/publish`, {
        method: 'POST',
        headers: { authorization: 'Bearer publish-key-0123456789' },
        body: JSON.stringify(envelope),
      });
      expect(response.status).toBe(202);
    }
    const back = await connect(gw.url, { sub: '21' }, cursor);
    expect(bodies(back.replayed)).toEqual(['m-0', 'm-1', 'm-2']);
    expect(back.sync).toMatchObject({ recovered: true, replayed: 3 });
  });
});
