import { fileURLToPath } from 'node:url';
import {
  type GatewayProcess,
  type RedisServer,
  recordEvents,
  startGatewayProcess,
  startRedis,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectWithSync, messageTo, readMetric } from './support.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

async function connect(
  gateway: GatewayProcess,
  sub: string,
  options: Record<string, unknown> = {},
) {
  // Resolved at its postbode:sync: what a test records afterwards is deliveries only.
  const { socket } = await connectWithSync(gateway.url, { sub }, undefined, options);
  sockets.push(socket);
  return socket;
}

describe('with only POSTBODE_JWT_SECRET (what `pnpm start` runs)', () => {
  it('runs the embedded gateway, ready at once, and says the bus is embedded', async () => {
    const gateway = await startGatewayProcess({ entry, env: { POSTBODE_LOG_LEVEL: 'info' } });
    try {
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
      expect(gateway.output).toMatch(/embedded in-memory bus/);
      const line = JSON.parse(
        gateway.output.split('\n').find((l) => l.includes('listening')) ?? '{}',
      );
      expect(line).toMatchObject({ level: 'info', bus: 'memory', service: 'postbode-gateway' });
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });
});

describe('Redis failures', () => {
  let redis: RedisServer;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    redis = await startRedis();
    gateway = await startGatewayProcess({ entry, env: { POSTBODE_REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await gateway.stop();
    await redis.stop();
  });

  it('Redis killed and restarted on the same port: readiness drops, an error is logged, delivery resumes', async () => {
    const socket = await connect(gateway, '42');
    await redis.kill();
    await waitUntil(async () => (await fetch(`${gateway.url}/readyz`)).status === 503, {
      description: 'readyz 503',
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(socket.connected).toBe(true);
    await redis.start();
    await waitUntil(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, {
      description: 'readyz 200 again',
    });
    const arrived = waitForEvent(socket, 'message.created');
    await redis.publish('postbode', JSON.stringify(messageTo({ users: ['42'] }, 'after-restart')));
    expect((await arrived)[0]).toMatchObject({ body: 'after-restart' });
    expect(gateway.exitCode).toBeNull();
    const errors = gateway.output.split('\n').filter((line) => line.includes('"level":"error"'));
    expect(errors.some((line) => /subscriber connection lost/.test(line))).toBe(true);
    expect(errors.some((line) => /re-established after .* lost/.test(line))).toBe(true);
    expect(await readMetric(gateway.url, 'postbode_bus_resubscribes_total')).toBeGreaterThanOrEqual(
      1,
    );
    expect(await readMetric(gateway.url, 'postbode_bus_gap_seconds_total')).toBeGreaterThan(0);
    expect(await readMetric(gateway.url, 'postbode_bus_subscribed')).toBe(1);
  });

  it('a subscriber dropped by Redis (as on output-buffer overflow) is logged, counted and resubscribed', async () => {
    const socket = await connect(gateway, '43');
    const before = await readMetric(gateway.url, 'postbode_bus_resubscribes_total');
    const admin = redis.client();
    try {
      // What Redis does to a subscriber over client-output-buffer-limit pubsub.
      expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBeGreaterThanOrEqual(1);
    } finally {
      admin.disconnect();
    }
    await waitUntil(
      async () => (await readMetric(gateway.url, 'postbode_bus_resubscribes_total')) === before + 1,
      {
        description: 'resubscribe counted',
      },
    );
    const arrived = waitForEvent(socket, 'message.created');
    await redis.publish('postbode', JSON.stringify(messageTo({ users: ['43'] }, 'after-drop')));
    expect((await arrived)[0]).toMatchObject({ body: 'after-drop' });
  });
});

describe('two gateway processes on one Redis', () => {
  it('reaches each user on whichever node it is connected to, once', async () => {
    const redis = await startRedis();
    const a = await startGatewayProcess({ entry, env: { POSTBODE_REDIS_URL: redis.url } });
    const b = await startGatewayProcess({
      entry,
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_PUBLISH_KEY: 'publish-key-0123456789' },
    });
    try {
      const onA = await connect(a, '1');
      const onB = await connect(b, '2');
      const userOnBoth = [await connect(a, '3'), await connect(b, '3')];
      const records = [onA, onB, ...userOnBoth].map(recordEvents);
      await redis.publish(
        'postbode',
        JSON.stringify(messageTo({ users: ['1', '2', '3'] }, 'both-nodes')),
      );
      // POST /publish on node b goes through Redis and reaches node a too.
      const response = await fetch(`${b.url}/publish`, {
        method: 'POST',
        headers: { authorization: 'Bearer publish-key-0123456789' },
        body: JSON.stringify(messageTo({ users: ['1'] }, 'via-b')),
      });
      expect(response.status).toBe(202);
      await waitUntil(() => records.every((r) => r.length >= 1) && (records[0]?.length ?? 0) >= 2);
      expect(records[0]?.map((r) => (r.args[0] as { body: string }).body)).toEqual([
        'both-nodes',
        'via-b',
      ]);
      for (const record of records.slice(1)) {
        expect(record.map((r) => (r.args[0] as { body: string }).body)).toEqual(['both-nodes']);
      }
    } finally {
      await a.stop();
      await b.stop();
      await redis.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM: clients see the transport close (and reconnect), Redis is quit, exit 0', async () => {
    const redis = await startRedis();
    const gateway = await startGatewayProcess({
      entry,
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_LOG_LEVEL: 'info' },
    });
    try {
      const websocket = await connect(gateway, '1', { transports: ['websocket'] });
      const polling = await connect(gateway, '2', { transports: ['polling'], upgrade: false });
      const reasons = [
        waitForEvent<[string]>(websocket, 'disconnect'),
        waitForEvent<[string]>(polling, 'disconnect'),
      ];
      const code = await gateway.stop();
      expect(code).toBe(0);
      // Not 'io server disconnect' (after which socket.io-client would not reconnect): the
      // transport is closed (websocket) or fails (a pending long-poll).
      const [ws, lp] = await Promise.all(reasons);
      expect(ws?.[0]).toBe('transport close');
      expect(lp?.[0]).toMatch(/^transport (close|error)$/);
      expect(gateway.output).toMatch(/shutting down/);
      expect(gateway.output).toMatch(/"msg":"shut down"/);
      const admin = redis.client();
      try {
        const clients = String(await admin.client('LIST'));
        expect(clients).not.toContain('postbode-gateway');
      } finally {
        admin.disconnect();
      }
      // A client with reconnection on comes back when the gateway does.
      await gateway.start();
      const again = await connect(gateway, '1', { reconnection: true });
      expect(again.connected).toBe(true);
    } finally {
      await gateway.stop();
      await redis.stop();
    }
  });
});
