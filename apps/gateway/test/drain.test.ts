import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  type GatewayProcess,
  type RedisServer,
  startGatewayProcess,
  startRedis,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodies, connectWithSync, messageTo } from './support.js';

// Drain before close (issue 14): SIGTERM turns readiness and handshakes to 503 for
// POSTBODE_SHUTDOWN_DRAIN_SECONDS while the node keeps serving its sockets, then closes them in
// batches; a second signal ends the drain at once.
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let redis: RedisServer;
const sockets: Socket[] = [];
const processes: GatewayProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const gateway of processes.splice(0)) await gateway.stop();
});
afterAll(async () => {
  await redis.stop();
});

async function node(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    entry,
    env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_LOG_LEVEL: 'info', ...env },
  });
  processes.push(gateway);
  return gateway;
}

async function connect(url: string, sub: string, options: Record<string, unknown> = {}) {
  const synced = await connectWithSync(url, { sub }, undefined, options);
  sockets.push(synced.socket);
  return synced;
}

/** The status a WebSocket handshake to socket.io gets (101 when it is taken). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=websocket`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-version': '13',
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const exited = (gateway: GatewayProcess) =>
  waitUntil(() => gateway.exitCode !== null, { timeoutMs: 30_000, description: 'exit' });

describe('drain before close', () => {
  it('SIGTERM: readiness and new handshakes answer 503 during the drain, the sockets are still served, then closed in batches with transport close; exit 0', async () => {
    // Long enough to look at the drain; the second phase is not waited for by a sleep but by
    // the exit.
    const gateway = await node({
      POSTBODE_SHUTDOWN_DRAIN_SECONDS: '3',
      POSTBODE_SHUTDOWN_BATCH_SIZE: '4',
    });
    // Before the clients connect: the probe's connection is closed by the client at once, and
    // the round trips of the 11 connections below give the gateway time to have dropped it
    // (probed right before SIGTERM, it was sometimes still counted among the drain's sockets).
    expect(await upgradeStatus(gateway.url)).toBe(101);
    const clients = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        connect(gateway.url, String(i), i % 2 === 0 ? { transports: ['websocket'] } : {}),
      ),
    );
    const polling = await connect(gateway.url, '99', { transports: ['polling'], upgrade: false });
    const reasons = [...clients, polling].map(({ socket }) =>
      waitForEvent<[string]>(socket, 'disconnect', 30_000),
    );
    gateway.signal('SIGTERM');
    await waitUntil(async () => (await fetch(`${gateway.url}/readyz`)).status === 503, {
      description: 'readyz 503',
    });
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toMatchObject({
      shuttingDown: true,
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    // A new handshake (polling, and WebSocket) is answered 503 for the load balancer to retry.
    const handshake = await fetch(`${gateway.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(503);
    expect(handshake.headers.get('retry-after')).toBe('5');
    expect(await upgradeStatus(gateway.url)).toBe(503);
    // The draining node still delivers to the sockets it holds, long-polling included.
    await redis.publish(
      'postbode',
      JSON.stringify(
        messageTo({ users: [...clients.map((_, i) => String(i)), '99'] }, 'during-drain'),
      ),
    );
    await waitUntil(
      () => [...clients, polling].every((c) => bodies(c.events).includes('during-drain')),
      { description: 'delivered during the drain' },
    );
    const all = [...clients, polling];
    const lost = all.filter((c) => !bodies(c.events).includes('during-drain')).length;
    expect(`lost: ${lost} of ${all.length}`).toBe(`lost: 0 of ${all.length}`);
    expect(all.every((c) => c.socket.connected)).toBe(true);
    // Then every transport is closed (never `io server disconnect`), and the process exits 0.
    const seen = await Promise.all(reasons);
    for (const reason of seen) expect(reason[0]).toMatch(/^transport (close|error)$/);
    await exited(gateway);
    expect(gateway.exitCode).toBe(0);
    const lines = gateway.output.split('\n').filter((l) => l.startsWith('{'));
    const draining = lines.find((l) => l.includes('"msg":"draining'));
    expect(JSON.parse(draining ?? '{}')).toMatchObject({ drainMs: 3000, sockets: 11 });
    const closing = lines.find((l) => l.includes('closing sockets'));
    expect(JSON.parse(closing ?? '{}')).toMatchObject({ batchSize: 4, sockets: 11 });
    // 11 sockets, 4 at a time: three batches.
    const closed = lines.find((l) => l.includes('closed in batches'));
    expect(JSON.parse(closed ?? '{}')).toMatchObject({ batches: 3 });
    expect(gateway.output).toMatch(/"msg":"shut down"/);
  }, 60_000);

  it('a second SIGTERM ends the drain at once: the node exits long before a 600 s drain', async () => {
    const gateway = await node({ POSTBODE_SHUTDOWN_DRAIN_SECONDS: '600' });
    const { socket } = await connect(gateway.url, '1', { transports: ['websocket'] });
    const reason = waitForEvent<[string]>(socket, 'disconnect', 30_000);
    gateway.signal('SIGTERM');
    await waitUntil(() => gateway.output.includes('"msg":"draining'), {
      description: 'draining logged',
    });
    expect(socket.connected).toBe(true);
    gateway.signal('SIGINT');
    expect((await reason)[0]).toBe('transport close');
    await exited(gateway);
    expect(gateway.exitCode).toBe(0);
    expect(gateway.output).toMatch(/"count":2/);
    // Hurried: no batch, everything closed at once.
    const closed = gateway.output.split('\n').find((l) => l.includes('closed in batches'));
    expect(JSON.parse(closed ?? '{}')).toMatchObject({ batches: 0, left: 1 });
  }, 60_000);
});
