import { signTestToken, waitUntil } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodies,
  connectWithSync,
  messageTo,
  readMetric,
  type SyncPayload,
  startTestGateway,
  type TestGateway,
} from './support.js';

// Issue 16, finding 3: the outgoing limit counts what waits for a socket whatever path wrote
// it. A long-polling client that stops polling leaves every message in engine.io's own write
// buffer (not a WebSocket's): it is cut there too, others keep receiving, and it recovers all
// it missed from its cursor.

const KEY = 'publish-key-0123456789';
const RS = '\x1e';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    POSTBODE_PUBLISH_KEY: KEY,
    POSTBODE_MAX_SOCKET_BUFFER_BYTES: '65536',
  });
});
afterAll(() => gw.close());

const body = (i: number) => `${i}:${'p'.repeat(4000)}`;

describe('a long-polling client that stops polling', () => {
  it('is cut at the limit, counted and logged; others get everything; lost 0 of 40 after resume', async () => {
    const base = `${gw.url}/socket.io/?EIO=4&transport=polling`;
    const sid = (JSON.parse((await (await fetch(base)).text()).slice(1)) as { sid: string }).sid;
    const token = await signTestToken({ sub: 'poller' });
    await fetch(`${base}&sid=${sid}`, { method: 'POST', body: `40${JSON.stringify({ token })}` });
    let sync: SyncPayload | undefined;
    while (sync === undefined) {
      for (const packet of (await (await fetch(`${base}&sid=${sid}`)).text()).split(RS)) {
        if (packet.startsWith('42["postbode:sync"')) {
          sync = (JSON.parse(packet.slice(2)) as [string, SyncPayload])[1];
        }
      }
    }
    const fine = await connectWithSync(gw.url, { sub: 'fine' });
    const cutBefore = await readMetric(gw.url, 'postbode_slow_sockets_cut_total');
    // It polls no more: 40 messages of ~4 KB (160 KB) wait in engine.io's buffer.
    for (let i = 0; i < 40; i++) {
      const envelope = messageTo({ users: ['poller', 'fine'] }, body(i));
      const response = await fetch(`${gw.url}/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ ...envelope, data: { ...envelope.data, messageId: `m-${i}` } }),
      });
      expect(response.status).toBe(202);
    }
    await waitUntil(
      async () => (await readMetric(gw.url, 'postbode_slow_sockets_cut_total')) > cutBefore,
      { description: 'the poller cut' },
    );
    await waitUntil(() => bodies(fine.events).length === 40, {
      description: 'the other socket got everything',
    });
    const line = gw.logs.find((entry) => entry.reason === 'buffer_limit');
    expect(line).toMatchObject({ transport: 'polling', sub: 'poller', limit: 65536 });
    expect(Number(line?.queued)).toBeGreaterThan(65536);
    // Its session is gone: the next poll is refused, and it reconnects with its cursor.
    expect((await fetch(`${base}&sid=${sid}`)).status).toBe(400);
    const back = await connectWithSync(
      gw.url,
      { sub: 'poller' },
      {
        epoch: sync.epoch,
        offset: sync.offset,
      },
    );
    try {
      expect(back.sync).toMatchObject({ recovered: true, replayed: 40 });
      const got = bodies(back.replayed);
      const lost = Array.from({ length: 40 }, (_, i) => body(i)).filter((b) => !got.includes(b));
      expect(`lost: ${lost.length} of 40`).toBe('lost: 0 of 40');
    } finally {
      back.socket.disconnect();
      fine.socket.disconnect();
    }
  });
});
