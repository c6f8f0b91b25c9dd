import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connectSocket, recordEvents, signTestToken, waitUntil } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { messageTo, readMetric, startTestGateway, type TestGateway } from './support.js';

// delivery/deliver.ts writes pre-encoded frames through socket.io-adapter, engine.io and ws
// internals. These tests fail (rather than let it fall back quietly) when those packages move
// or a plain WebSocket client stops taking the direct path.

const KEY = 'publish-key-0123456789';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ POSTBODE_PUBLISH_KEY: KEY });
});
afterAll(() => gw.close());

type Events = Array<{ event: string; args: unknown[] }>;

/** The delivered messages among the recorded events (the connect-time sync is not one). */
const delivered = (events: Events) => events.filter((e) => e.event === 'message.created');

const connected = () => readMetric(gw.url, 'postbode_sockets_connected');

const writes = (path: 'direct' | 'engine') =>
  readMetric(gw.url, 'postbode_socket_writes_total', { path }).catch(() => 0);

async function publishTo(user: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${gw.url}/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify(messageTo({ users: [user] }, `fast-${i}`)),
    });
    expect(response.status).toBe(202);
  }
}

describe('the direct WebSocket write path', () => {
  it('socket.io resolves exactly the socket.io-adapter, engine.io and ws versions this package pins', () => {
    // Each package's version as the requiring package resolves it (engine.io's exports hide
    // its package.json, so it is read from the resolved entry's package folder).
    const version = (from: string, name: string) => {
      const entry = createRequire(from).resolve(name);
      const folder = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`));
      return (
        JSON.parse(readFileSync(`${folder}node_modules/${name}/package.json`, 'utf8')) as {
          version: string;
        }
      ).version;
    };
    const socketIo = createRequire(import.meta.url).resolve('socket.io');
    const engineIo = createRequire(socketIo).resolve('engine.io');
    expect({
      'socket.io-adapter': version(socketIo, 'socket.io-adapter'),
      'engine.io': version(socketIo, 'engine.io'),
      ws: version(engineIo, 'ws'),
    }).toEqual({
      'socket.io-adapter': packageJson.dependencies['socket.io-adapter'],
      'engine.io': packageJson.dependencies['engine.io'],
      ws: packageJson.dependencies.ws,
    });
  });

  it('a plain WebSocket client gets every message through the direct path', async () => {
    const socket = await connectSocket(gw.url, {
      token: await signTestToken({ sub: 'ws-user' }),
      transports: ['websocket'],
    });
    try {
      const events = recordEvents(socket);
      const [direct, engine] = [await writes('direct'), await writes('engine')];
      await publishTo('ws-user', 20);
      await waitUntil(() => delivered(events).length === 20, { description: '20 messages' });
      expect(delivered(events).map((e) => (e.args[0] as { body: string }).body)).toEqual(
        Array.from({ length: 20 }, (_, i) => `fast-${i}`),
      );
      expect(await writes('direct')).toBe(direct + 20);
      expect(await writes('engine')).toBe(engine);
    } finally {
      socket.disconnect();
    }
  });

  it("a room's writers follow a tab that upgrades, one that leaves and one that joins", async () => {
    const token = await signTestToken({ sub: 'tabs-user' });
    // Earlier tests' sockets gone, so the gauge counts this test's tabs alone.
    await waitUntil(async () => (await connected()) === 0, { description: 'no socket connected' });
    const first = await connectSocket(gw.url, { token, transports: ['websocket'] });
    const second = await connectSocket(gw.url, { token, transports: ['polling'], upgrade: false });
    // Long-polling until the test upgrades it, after the user's room was delivered to.
    const third = await connectSocket(gw.url, {
      token,
      transports: ['polling', 'websocket'],
      upgrade: false,
    });
    const sockets = [first, second, third];
    try {
      const [a, b, c] = sockets.map(recordEvents) as [Events, Events, Events];
      let [direct, engine] = [await writes('direct'), await writes('engine')];
      await publishTo('tabs-user', 4);
      await waitUntil(() => [a, b, c].every((events) => delivered(events).length === 4), {
        description: '4 messages on each of the three tabs',
      });
      expect(await writes('direct')).toBe(direct + 4);
      expect(await writes('engine')).toBe(engine + 8);

      // The third tab upgrades to WebSocket (engine.io-client's own probe, as `upgrade: true`
      // would have run it at connect); a client event answered after the upgrade packet means
      // the server has switched transports too (an unknown action: refused, but answered).
      (third.io.engine as unknown as { _probe(name: string): void })._probe('websocket');
      await waitUntil(() => third.io.engine.transport.name === 'websocket', {
        description: 'the third tab upgraded to WebSocket',
      });
      const answer = await third
        .timeout(5_000)
        .emitWithAck('postbode:event', { action: 'tabs.ping' });
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
      first.disconnect();
      await waitUntil(async () => (await connected()) === 2, {
        description: 'the first tab gone on the server',
      });
      [direct, engine] = [await writes('direct'), await writes('engine')];
      await publishTo('tabs-user', 2);
      await waitUntil(() => delivered(b).length === 6 && delivered(c).length === 6, {
        description: 'the next 2 messages on the two remaining tabs',
      });
      // The upgraded tab directly, the long-polling one through engine.io, none to the tab gone.
      expect(await writes('direct')).toBe(direct + 2);
      expect(await writes('engine')).toBe(engine + 2);

      const fourth = await connectSocket(gw.url, { token, transports: ['websocket'] });
      sockets.push(fourth);
      const d = recordEvents(fourth);
      [direct, engine] = [await writes('direct'), await writes('engine')];
      await publishTo('tabs-user', 3);
      await waitUntil(
        () => delivered(b).length === 9 && delivered(c).length === 9 && delivered(d).length === 3,
        { description: 'the next 3 messages on the two remaining tabs and the new one' },
      );
      expect(delivered(a).length).toBe(4);
      expect(await writes('direct')).toBe(direct + 6);
      expect(await writes('engine')).toBe(engine + 3);
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });

  it("a long-polling client takes socket.io's own path", async () => {
    const socket = await connectSocket(gw.url, {
      token: await signTestToken({ sub: 'poll-user' }),
      transports: ['polling'],
    });
    try {
      const events = recordEvents(socket);
      const [direct, engine] = [await writes('direct'), await writes('engine')];
      await publishTo('poll-user', 5);
      await waitUntil(() => delivered(events).length === 5, { description: '5 messages' });
      expect(await writes('engine')).toBe(engine + 5);
      expect(await writes('direct')).toBe(direct);
    } finally {
      socket.disconnect();
    }
  });
});
