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

/** The delivered messages among the recorded events (the connect-time sync is not one). */
const delivered = (events: Array<{ event: string; args: unknown[] }>) =>
  events.filter((e) => e.event === 'message.created');

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
