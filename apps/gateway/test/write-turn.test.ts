import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type GatewayProcess,
  type RedisServer,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodies,
  connectWithSync,
  messageTo,
  publishAtOnce,
  readMetric,
  type SyncedSocket,
} from './support.js';

// delivery/write-turn.ts: in a busy turn of the event loop (more than IMMEDIATE_PER_TURN
// messages) the direct path's writes to one socket leave together. Counted from outside, as
// the kernel counts them: the gateway runs as a process of its own and `/proc/<pid>/io`'s
// `syscw` is read around a burst.

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const LIMIT = 65_536;
/** Makes each message about 1 KiB on the wire. */
const PADDING = 'x'.repeat(800);
let redis: RedisServer;
let gw: GatewayProcess;
const sockets: SyncedSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  gw = await startGatewayProcess({
    entry,
    // The smallest limit there is: a burst held to the end of its turn is more than that.
    env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_MAX_SOCKET_BUFFER_BYTES: String(LIMIT) },
  });
});
afterAll(async () => {
  for (const { socket } of sockets.splice(0)) socket.disconnect();
  await gw.stop();
  await redis.stop();
});

/** The gateway process's write system calls so far (every thread). */
const writeCalls = (): number => {
  const io = readFileSync(`/proc/${gw.pid}/io`, 'utf8');
  return Number(/^syscw: (\d+)$/m.exec(io)?.[1]);
};

const messages = (synced: SyncedSocket) =>
  bodies(synced.events.filter((e) => e.event === 'message.created'));

describe('the direct path writes a socket once per turn of the event loop', () => {
  it('1000 messages of 1 KiB to two WebSocket users in one burst: every one arrives in order, in far fewer writes than messages, and no socket is cut at the 64 KiB limit', async () => {
    const [alice, bob] = await Promise.all([
      connectWithSync(gw.url, { sub: 'alice' }, undefined, { transports: ['websocket'] }),
      connectWithSync(gw.url, { sub: 'bob' }, undefined, { transports: ['websocket'] }),
    ]);
    sockets.push(alice, bob);
    const count = 1000;
    const expected = { alice: [] as string[], bob: [] as string[] };
    const envelopes = Array.from({ length: count }, (_, i) => {
      const user = i % 2 === 0 ? 'alice' : 'bob';
      const body = `burst-${i}-${PADDING}`;
      expected[user].push(body);
      const envelope = messageTo({ users: [user] }, body);
      envelope.data.messageId = `m-burst-${i}`;
      return envelope;
    });
    const before = writeCalls();
    await publishAtOnce(
      redis,
      envelopes.map((envelope) => JSON.stringify(envelope)),
    );
    await waitUntil(
      () => messages(alice).length === count / 2 && messages(bob).length === count / 2,
      { description: `${count / 2} messages each` },
    );
    const calls = writeCalls() - before;
    expect(messages(alice)).toEqual(expected.alice);
    expect(messages(bob)).toEqual(expected.bob);
    // Per turn: the first IMMEDIATE_PER_TURN messages one write each, then one write per socket;
    // the burst takes a few turns to read. Written one by one it was a write per message.
    expect(calls).toBeLessThan(count / 4);
    // About 500 KiB to each socket, much of it corked at some point: a socket is judged by what
    // its client has not read, and these two read everything.
    expect(await readMetric(gw.url, 'postbode_slow_sockets_cut_total')).toBe(0);
    expect(alice.socket.connected && bob.socket.connected).toBe(true);
  });

  it('a message alone in its turn is written in that turn: each of 5, published one at a time, arrives before the next is sent', async () => {
    const carol = await connectWithSync(gw.url, { sub: 'carol' }, undefined, {
      transports: ['websocket'],
    });
    sockets.push(carol);
    const before = writeCalls();
    for (let i = 0; i < 5; i += 1) {
      await publishAtOnce(redis, [JSON.stringify(messageTo({ users: ['carol'] }, `alone-${i}`))]);
      await waitUntil(() => messages(carol).length === i + 1, {
        description: `message ${i + 1} of 5`,
      });
    }
    expect(messages(carol)).toEqual(Array.from({ length: 5 }, (_, i) => `alone-${i}`));
    expect(writeCalls() - before).toBeGreaterThanOrEqual(5);
  });
});
