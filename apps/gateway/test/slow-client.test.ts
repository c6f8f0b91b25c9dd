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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, bodies, connectWithSync, messageTo, readMetric } from './support.js';

// A client that stops reading (and whose connection stays open) must not grow the gateway's
// memory: past POSTBODE_MAX_SOCKET_BUFFER_BYTES its connection is cut, everyone else keeps
// receiving, and it recovers what it missed from its cursor.

let redis: RedisServer;
let client: Redis;
let gw: GatewayProcess;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  // A gateway process of its own, so the well-behaved client here reads at its own pace, not
  // between the gateway's turns on one event loop. The default limit (8 MiB): a burst of one
  // read (500 entries, 4.5 MB here) fits, a client that stopped reading does not.
  gw = await startGatewayProcess({
    entry: fileURLToPath(new URL('../dist/main.js', import.meta.url)),
    env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_RECOVERY_MAX: '5000' },
  });
});
afterAll(async () => {
  await gw.stop();
  client.disconnect();
  await redis.stop();
});

/** The TCP socket under a Node socket.io-client's WebSocket transport. */
const tcpOf = (socket: Socket) =>
  (
    socket.io.engine as unknown as {
      transport: { ws: { _socket: { pause(): void; resume(): void } } };
    }
  ).transport.ws._socket;

describe('a client that stops reading', () => {
  it('is cut at the limit while others keep receiving, then recovers: lost 0 of 3000', async () => {
    const options = { transports: ['websocket'] };
    const stuck = await connectWithSync(gw.url, { sub: 'slow' }, undefined, options);
    const fine = await connectWithSync(gw.url, { sub: 'fine' }, undefined, options);
    const cursor = { epoch: stuck.sync.epoch, offset: stuck.sync.offset };
    tcpOf(stuck.socket).pause();
    const cutBefore = await readMetric(gw.url, 'postbode_slow_sockets_cut_total');
    // 3000 messages of ~9 KB each to both: ~27 MB, far past the limit and what the kernel
    // buffers on loopback.
    const body = (i: number) => `${i}:${'x'.repeat(9000)}`;
    for (let from = 0; from < 3000; from += 500) {
      await appendToStream(
        client,
        Array.from({ length: 500 }, (_, i) => {
          const envelope = messageTo({ users: ['slow', 'fine'] }, body(from + i));
          return { ...envelope, data: { ...envelope.data, messageId: `m-${from + i}` } };
        }),
      );
      // The well-behaved client reads each burst before the next: it is never more than one
      // read (4.5 MB) behind, under the limit, however slowly this process parses 9 KB frames.
      // (Without this wait it could fall 2 reads behind on a busy machine and be cut as well.)
      await waitUntil(() => bodies(fine.events).length >= from + 500, {
        description: `the other socket got the first ${from + 500}`,
        timeoutMs: 60_000,
      });
    }
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_slow_sockets_cut_total')) > cutBefore,
      {
        description: 'the stuck socket cut',
        timeoutMs: 60_000,
      },
    );
    expect(bodies(fine.events)).toHaveLength(3000);
    // Only the client that stopped reading was cut.
    expect(await readMetric(gw.url, 'postbode_slow_sockets_cut_total')).toBe(cutBefore + 1);
    // The stuck client reads again: it finds its connection closed, and resumes.
    tcpOf(stuck.socket).resume();
    await waitUntil(() => !stuck.socket.connected, {
      description: 'the stuck client sees the cut',
    });
    const seen = bodies(stuck.events);
    const lastSeen = stuck.events.filter((e) => e.event === 'message.created').at(-1);
    const resumeFrom =
      lastSeen === undefined
        ? cursor
        : { epoch: cursor.epoch, offset: (lastSeen.args[1] as { offset: string }).offset };
    stuck.socket.disconnect();
    const back = await connectWithSync(gw.url, { sub: 'slow' }, resumeFrom, options);
    try {
      expect(back.sync).toMatchObject({ recovered: true, replayed: 3000 - seen.length });
      const got = [...seen, ...bodies(back.replayed)];
      const lost = Array.from({ length: 3000 }, (_, i) => body(i)).filter((b) => !got.includes(b));
      expect(`lost: ${lost.length} of 3000`).toBe('lost: 0 of 3000');
    } finally {
      back.socket.disconnect();
      fine.socket.disconnect();
    }
    // 27 MB through socket.io-client's parser: generous bounds for a loaded 2-core machine.
  }, 150_000);
});
