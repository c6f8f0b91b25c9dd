import { fileURLToPath } from 'node:url';
import { DEFAULT_EVENTS_STREAM } from '@postbode/protocol';
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

// Contract 8 against the built gateway as a process, with a real redis-server: postbode:event
// is validated, limited, appended with the token's user and site, acknowledged only once Redis
// has the entry, refused with a code otherwise; typing is relayed inside a site and never stored.

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
type Ack = { ok: true; id: string } | { ok: false; error: { code: string; message: string } };

let redis: RedisServer;
let client: Redis;
let gw: GatewayProcess;
const sockets: Socket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  client.on('error', () => {}); // Redis is killed on purpose below
  gw = await startGatewayProcess({
    entry,
    env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_NODE_ID: 'node-a' },
  });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await gw.stop();
  client.disconnect();
  await redis.stop();
});

async function connect(url: string, claims: Record<string, unknown>) {
  const synced = await connectWithSync(url, claims);
  sockets.push(synced.socket);
  return synced;
}

function send(socket: Socket, event: unknown, timeoutMs = 20_000): Promise<Ack> {
  return socket.timeout(timeoutMs).emitWithAck('postbode:event', event) as Promise<Ack>;
}

/** Entries other than presence transitions (contract 7 writes those as sockets come and go). */
async function clientEntriesOf(stream = DEFAULT_EVENTS_STREAM) {
  return (await entriesOf(stream)).filter((entry) => !entry.action?.startsWith('presence.'));
}

async function entriesOf(stream = DEFAULT_EVENTS_STREAM) {
  const entries = await client.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2)
      record[fields[i] as string] = fields[i + 1] as string;
    return record;
  });
}

describe('postbode:event to the backend (contract 8)', () => {
  it('appends with user and site from the token, even when the client sends others, and acks with the id', async () => {
    const { socket } = await connect(gw.url, { sub: 'u-7', site: 'nl' });
    const ack = await send(socket, {
      action: 'message.read',
      data: { conversationId: 'c-1', lastReadMessageId: 'm-3' },
      id: 'read-1',
      user: 'someone-else',
      site: 'other',
    });
    expect(ack).toEqual({ ok: true, id: 'read-1' });
    const entry = (await entriesOf()).find((e) => e.id === 'read-1');
    expect(entry).toMatchObject({
      action: 'message.read',
      site: 'nl',
      user: 'u-7',
      node: 'node-a',
    });
    expect(JSON.parse(entry?.data ?? '')).toEqual({
      conversationId: 'c-1',
      lastReadMessageId: 'm-3',
    });
    expect(Number(entry?.ts)).toBeGreaterThan(0);

    // A user or site inside data is a bad payload, never a way to speak for someone else.
    const forged = await send(socket, {
      action: 'message.read',
      data: { conversationId: 'c-1', lastReadMessageId: 'm-3', user: 'admin' },
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    // Without an id, the gateway assigns one and the entry carries it.
    const assigned = await send(socket, {
      action: 'message.delivered',
      data: { conversationId: 'c-1', messageIds: ['m-4', 'm-5'] },
    });
    expect(assigned.ok).toBe(true);
    const id = assigned.ok ? assigned.id : '';
    expect((await entriesOf()).filter((e) => e.id === id)).toHaveLength(1);
  });

  it('refuses each kind of bad event with its code, and the socket keeps working', async () => {
    const { socket } = await connect(gw.url, { sub: 'u-8', site: 'nl' });
    const before = (await clientEntriesOf()).length;
    const cases: Array<[unknown, string]> = [
      [{ action: 'message.deleted', data: {} }, 'UNKNOWN_ACTION'],
      [{ action: 'message.read', data: { conversationId: 'c-1' } }, 'INVALID_PAYLOAD'],
      [{ action: 'message.read', data: 'x' }, 'INVALID_PAYLOAD'],
      ['not an object', 'INVALID_ENVELOPE'],
      [{ action: 'message.read', data: {}, id: 42 }, 'INVALID_ENVELOPE'],
      [
        { action: 'message.read', data: { conversationId: 'c', pad: 'x'.repeat(2000) } },
        'TOO_LARGE',
      ],
    ];
    for (const [event, code] of cases) {
      const ack = await send(socket, event);
      expect(ack, JSON.stringify(event).slice(0, 60)).toMatchObject({ ok: false, error: { code } });
      expect(ack.ok ? '' : ack.error.message.length).toBeGreaterThan(5);
    }
    expect((await clientEntriesOf()).length).toBe(before);
    expect((await entriesOf()).some((entry) => entry.action === 'typing')).toBe(false);
    const ok = await send(socket, {
      action: 'message.read',
      data: { conversationId: 'c-2', lastReadMessageId: 'm-1' },
    });
    expect(ok.ok).toBe(true);
    expect(socket.connected).toBe(true);
  });

  it('rate-limits per socket and per action; other actions and other sockets are not limited', async () => {
    const { socket } = await connect(gw.url, { sub: 'u-9', site: 'nl' });
    const { socket: other } = await connect(gw.url, { sub: 'u-10', site: 'nl' });
    const read = { action: 'message.read', data: { conversationId: 'c', lastReadMessageId: 'm' } };
    // message.read: a bucket of 10. Fifteen at once: at least the overflow is refused.
    const acks = await Promise.all(Array.from({ length: 15 }, () => send(socket, read)));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(10);
    // Another action of the same socket, and the same action of another socket, pass.
    expect(
      (
        await send(socket, {
          action: 'message.delivered',
          data: { conversationId: 'c', messageIds: ['m'] },
        })
      ).ok,
    ).toBe(true);
    expect((await send(other, read)).ok).toBe(true);
    expect(socket.connected).toBe(true);
  });

  it('disconnects a socket that keeps sending past its limits (more than 20 refusals at once)', async () => {
    const { socket, events } = await connect(gw.url, { sub: 'u-11', site: 'nl' });
    const { socket: other } = await connect(gw.url, { sub: 'u-12', site: 'nl' });
    const read = { action: 'message.read', data: { conversationId: 'c', lastReadMessageId: 'm' } };
    for (let i = 0; i < 60; i += 1) socket.emit('postbode:event', read);
    await waitUntil(() => !socket.connected, { timeoutMs: 20_000 });
    expect(
      events.some(
        (e) =>
          e.event === 'postbode:error' && (e.args[0] as { code: string }).code === 'RATE_LIMITED',
      ),
    ).toBe(true);
    expect((await send(other, read)).ok).toBe(true);
  });
});

describe('typing (relay, contract 8)', () => {
  it('reaches the recipient on the same site as typing.changed with the sender id from the token, never another site, never the stream', async () => {
    const sender = await connect(gw.url, { sub: 'bram', site: 'nl' });
    const anna = await connect(gw.url, { sub: 'anna', site: 'nl' });
    const annaOtherSite = await connect(gw.url, { sub: 'anna', site: 'be' });
    const before = (await clientEntriesOf()).length;
    const ack = await send(sender.socket, {
      action: 'typing',
      data: { conversationId: 'c-9', to: 'anna' },
      id: 'typing-1',
    });
    expect(ack).toEqual({ ok: true, id: 'typing-1' });
    await waitUntil(() => anna.events.some((e) => e.event === 'typing.changed'));
    const got = anna.events.find((e) => e.event === 'typing.changed');
    expect(got?.args[0]).toEqual({ conversationId: 'c-9', userId: 'bram', typing: true });
    expect(got?.args[1]).toMatchObject({ site: 'nl', id: 'typing-1' });
    // A stop, then a marker delivered after it to both Annas: the other site's Anna got neither.
    await send(sender.socket, {
      action: 'typing',
      data: { conversationId: 'c-9', to: 'anna', typing: false },
    });
    await waitUntil(() => anna.events.filter((e) => e.event === 'typing.changed').length === 2);
    const beSender = await connect(gw.url, { sub: 'bram', site: 'be' });
    await send(beSender.socket, {
      action: 'typing',
      data: { conversationId: 'marker', to: 'anna' },
    });
    await waitUntil(() => annaOtherSite.events.some((e) => e.event === 'typing.changed'));
    const beTyping = annaOtherSite.events.filter((e) => e.event === 'typing.changed');
    expect(beTyping.map((e) => (e.args[0] as { conversationId: string }).conversationId)).toEqual([
      'marker',
    ]);
    expect(sender.events.some((e) => e.event === 'typing.changed')).toBe(false);
    expect((await clientEntriesOf()).length).toBe(before);
    expect((await entriesOf()).some((entry) => entry.action === 'typing')).toBe(false);
    expect(await client.xlen('postbode:stream').catch(() => 0)).toBe(0);
  });

  it('honours the relayTo claim: a user may relay only to the users it names', async () => {
    const { socket } = await connect(gw.url, { sub: 'bram', site: 'nl', relayTo: ['anna', 7] });
    const seven = await connect(gw.url, { sub: '7', site: 'nl' });
    const eve = await connect(gw.url, { sub: 'eve', site: 'nl' });
    const refused = await send(socket, {
      action: 'typing',
      data: { conversationId: 'c', to: 'eve' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(
      (await send(socket, { action: 'typing', data: { conversationId: 'c', to: '7' } })).ok,
    ).toBe(true);
    await waitUntil(() => seven.events.some((e) => e.event === 'typing.changed'));
    expect(eve.events.some((e) => e.event === 'typing.changed')).toBe(false);
  });
});

describe('Redis down (contract 8)', () => {
  it('answers UNAVAILABLE while Redis is killed or frozen, buffers nothing, and works once it is back', async () => {
    const { socket } = await connect(gw.url, { sub: 'u-20', site: 'nl' });
    const read = (id: string) => ({
      action: 'message.read',
      data: { conversationId: 'c', lastReadMessageId: 'm' },
      id,
    });
    expect((await send(socket, read('before'))).ok).toBe(true);

    await redis.kill();
    const down = await send(socket, read('while-down'));
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(socket.connected).toBe(true);

    await redis.start();
    let back: Ack | undefined;
    await waitUntil(
      async () => {
        back = await send(socket, read('after'));
        return back.ok;
      },
      { timeoutMs: 30_000 },
    );
    const ids = (await entriesOf()).map((e) => e.id);
    // Redis restarted without persistence here: only what was acked after the restart is there,
    // and the refused event was never written later from a buffer.
    expect(ids).toContain('after');
    expect(ids).not.toContain('while-down');

    // Frozen (SIGSTOP): the gateway waits a bounded time (2 s), then answers UNAVAILABLE.
    const pid = redis.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const frozen = await send(socket, read('while-frozen'));
      expect(frozen).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(frozen.ok ? '' : frozen.error.message).toMatch(/did not answer within 2000 ms/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil(async () => (await send(socket, read(`thawed-${Date.now()}`))).ok, {
      timeoutMs: 30_000,
    });
  });
});

describe('the embedded bus (no Redis)', () => {
  it('answers backend actions UNAVAILABLE and relays typing', async () => {
    const embedded = await startGatewayProcess({ entry, env: {} });
    try {
      const bram = await connect(embedded.url, { sub: 'bram', site: 'nl' });
      const anna = await connect(embedded.url, { sub: 'anna', site: 'nl' });
      const read = await send(bram.socket, {
        action: 'message.read',
        data: { conversationId: 'c', lastReadMessageId: 'm' },
      });
      expect(read).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(read.ok ? '' : read.error.message).toMatch(/embedded bus/);
      expect(
        (await send(bram.socket, { action: 'typing', data: { conversationId: 'c', to: 'anna' } }))
          .ok,
      ).toBe(true);
      await waitUntil(() => anna.events.some((e) => e.event === 'typing.changed'));
    } finally {
      await embedded.stop();
    }
  });
});
