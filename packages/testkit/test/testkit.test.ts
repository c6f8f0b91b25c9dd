import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getFreePort,
  type RedisServer,
  signTestToken,
  startRedis,
  TEST_JWT_SECRET,
  waitUntil,
} from '../src/index.js';

describe('startRedis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('runs a real redis-server on its own port', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = redis.client();
    try {
      expect(await client.ping()).toBe('PONG');
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
    } finally {
      client.disconnect();
    }
  });

  it('delivers what it publishes to a subscriber', async () => {
    const subscriber = redis.client();
    try {
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_c, m) => resolve(m)),
      );
      await subscriber.subscribe('ch');
      expect(await redis.publish('ch', 'hello')).toBe(1);
      expect(await received).toBe('hello');
    } finally {
      subscriber.disconnect();
    }
  });

  it('stops and starts again on the same port, losing its data', async () => {
    const port = redis.port;
    const before = redis.client();
    await before.set('gone', '1');
    before.disconnect();
    await redis.stop();
    expect(redis.running).toBe(false);
    await redis.start();
    expect(redis.running).toBe(true);
    expect(redis.port).toBe(port);
    const after = redis.client();
    try {
      expect(await after.get('gone')).toBeNull();
    } finally {
      after.disconnect();
    }
  });

  it('kill() ends the process like a crash; restart() brings it back', async () => {
    await redis.kill();
    expect(redis.running).toBe(false);
    await redis.restart();
    const client = redis.client();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('says how to install redis-server when the binary is missing', async () => {
    await expect(startRedis({ binary: 'redis-server-that-does-not-exist' })).rejects.toThrow(
      /apt-get install -y redis-server/,
    );
  });
});

describe('getFreePort', () => {
  it('returns distinct usable ports', async () => {
    const a = await getFreePort();
    const b = await getFreePort();
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });
});

describe('signTestToken', () => {
  it('signs HS256 tokens with the claims and an exp', async () => {
    const token = await signTestToken({ sub: '42', site: 'nl' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_JWT_SECRET));
    expect(payload.sub).toBe('42');
    expect(payload.site).toBe('nl');
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('signs expired tokens and sets kid', async () => {
    const token = await signTestToken({ sub: '1' }, { expiresInSeconds: -60, kid: 'k1' });
    expect(decodeJwt(token).exp).toBeLessThan(Date.now() / 1000);
    expect(decodeProtectedHeader(token).kid).toBe('k1');
  });
});

describe('waitUntil', () => {
  it('resolves with the first truthy value', async () => {
    let n = 0;
    expect(await waitUntil(() => (++n >= 3 ? n : 0), { intervalMs: 1 })).toBe(3);
  });

  it('rejects with the description when time runs out', async () => {
    await expect(waitUntil(() => false, { timeoutMs: 30, description: 'never' })).rejects.toThrow(
      /waiting for never/,
    );
  });
});
