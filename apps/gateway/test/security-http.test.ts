import { type RedisServer, startRedis, waitForEvent, waitUntil } from '@postbode/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithSync, messageTo, startTestGateway, type TestGateway } from './support.js';

// Issue 16, findings 4 and 6 (and issue 18's error shape): a Redis that stops answering,
// and what logs and error bodies may carry.

const KEY = 'publish-key-0123456789';
const SECRET = 'PRIVATE-PAYLOAD-TEXT';

let redis: RedisServer;
let gw: TestGateway;
beforeAll(async () => {
  redis = await startRedis();
  gw = await startTestGateway({
    POSTBODE_REDIS_URL: redis.url,
    POSTBODE_PUBLISH_KEY: KEY,
    POSTBODE_REDIS_COMMAND_TIMEOUT_MS: '500',
    POSTBODE_CORS_ORIGINS: 'https://chat.example',
  });
  await waitUntil(() => gw.gateway.ready, { description: 'gateway ready' });
});
afterAll(async () => {
  const pid = redis.pid;
  if (pid !== undefined) process.kill(pid, 'SIGCONT');
  await gw.close();
  await redis.stop();
});

const publish = (body: string, key: string | null = KEY) =>
  fetch(`${gw.url}/publish`, {
    method: 'POST',
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    body,
    // A bound on a broken test, never an assertion on time.
    signal: AbortSignal.timeout(60_000),
  });

type ErrorBody = { ok: false; error: { code: string; message: string; path: string } };

/** Every error body of POST /publish has the documented shape and no payload text. */
async function errorBody(response: Response): Promise<ErrorBody> {
  const text = await response.text();
  expect(text).not.toContain(SECRET);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.ok).toBe(false);
  expect(Object.keys(body.error).slice(0, 3)).toEqual(['code', 'message', 'path']);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.path).toMatch(/^\//);
  return body;
}

describe('POST /publish error bodies: { code, message, path }, never payload text', () => {
  it.each([
    ['invalid JSON quoting a secret', `{"body":"${SECRET}" oops`, 400, 'INVALID_JSON', '/'],
    ['invalid JSON at the start', `${SECRET}`, 400, 'INVALID_JSON', '/'],
    ['a body over 64 KiB', `"${'x'.repeat(70 * 1024)}"`, 413, 'TOO_LARGE', '/'],
  ])('%s', async (_label, body, status, code, path) => {
    const response = await publish(body);
    expect(response.status).toBe(status);
    const json = await errorBody(response);
    expect(json.error).toMatchObject({ code, path });
  });

  it('INVALID_JSON says where and what, in the body and the one log line', async () => {
    const response = await publish(`{"body":"${SECRET}" oops`);
    const json = await errorBody(response);
    expect(json.error.message).toBe(
      "envelope is not valid JSON: expected ',' or '}' at position 31",
    );
    const lines = gw.logs.filter((line) => line.code === 'INVALID_JSON');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.stringify(line)).not.toContain(SECRET);
  });

  it('401 has the same shape', async () => {
    const json = await errorBody(await publish('{}', 'wrong-key-0123456789'));
    expect(json.error).toMatchObject({ code: 'UNAUTHORIZED', path: '/' });
  });
});

describe('attacker-controlled strings in logs are cut', () => {
  it('a 2 MB-scale Redis message with huge action, site and property names gives a short log line', async () => {
    const client = new Redis(redis.url);
    try {
      const huge = 'Z'.repeat(200_000);
      const envelope = { ...messageTo({ users: ['1'] }, 'x'), action: huge, site: huge, [huge]: 1 };
      const raw = JSON.stringify(envelope);
      const before = gw.logs.length;
      // Through the live channel (POSTBODE_MAX_ENVELOPE_BYTES is 1 MiB by default).
      await client.publish('postbode', raw);
      await waitUntil(
        () => gw.logs.slice(before).some((line) => line.code === 'INVALID_ENVELOPE'),
        { description: 'the rejection logged' },
      );
      const line = gw.logs.slice(before).find((entry) => entry.code === 'INVALID_ENVELOPE');
      expect(JSON.stringify(line).length).toBeLessThan(1_000);
      expect(line?.action).toBe(`${'Z'.repeat(128)}…`);
    } finally {
      client.disconnect();
    }
  });

  it('a refused 5 kB Origin is logged cut to 128 characters', async () => {
    const origin = `https://${'o'.repeat(5000)}.example`;
    const response = await fetch(`${gw.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin },
    });
    expect(response.status).toBe(403);
    const line = gw.logs.find((entry) => String(entry.msg).includes('origin not in'));
    expect(String(line?.origin)).toHaveLength(129);
    expect(JSON.stringify(line).length).toBeLessThan(600);
  });
});

describe('a Redis that does not answer (SIGSTOP)', () => {
  it('POST /publish answers 503 UNAVAILABLE, /readyz goes 503, and both recover; sockets stay served', async () => {
    const socket = (await connectWithSync(gw.url, { sub: 'r1' })).socket;
    const pid = redis.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const response = await publish(JSON.stringify(messageTo({ users: ['r1'] }, 'frozen')));
      expect(response.status).toBe(503);
      const json = await errorBody(response);
      expect(json.error).toMatchObject({ code: 'UNAVAILABLE', path: '/' });
      await waitUntil(async () => (await fetch(`${gw.url}/readyz`)).status === 503, {
        description: '/readyz 503 while Redis is frozen',
        timeoutMs: 30_000,
      });
      // The process keeps serving: health, and new connections.
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil(async () => (await fetch(`${gw.url}/readyz`)).status === 200, {
      description: '/readyz 200 again',
      timeoutMs: 30_000,
    });
    const got = waitForEvent<[{ body: string }]>(socket, 'message.created', 30_000);
    expect((await publish(JSON.stringify(messageTo({ users: ['r1'] }, 'thawed')))).status).toBe(
      202,
    );
    expect((await got)[0].body).toBe('thawed');
    socket.disconnect();
  });
});
