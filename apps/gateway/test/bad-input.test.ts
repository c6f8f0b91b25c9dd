import {
  connectSocket,
  type RedisServer,
  recordEvents,
  signTestToken,
  startRedis,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectWithSync,
  messageTo,
  publishAtOnce,
  readMetric,
  startTestGateway,
  type TestGateway,
} from './support.js';

let redis: RedisServer;
let gw: TestGateway;
let socket: Socket;

beforeAll(async () => {
  redis = await startRedis();
  gw = await startTestGateway({
    POSTBODE_REDIS_URL: redis.url,
    POSTBODE_MAX_ENVELOPE_BYTES: '4096',
  });
  await waitUntil(() => gw.gateway.ready);
  // Resolved at its postbode:sync: what the tests record afterwards is deliveries only.
  ({ socket } = await connectWithSync(gw.url, { sub: '42', site: 'nl' }));
});
afterAll(async () => {
  socket.disconnect();
  await gw.close();
  await redis.stop();
});

const good = (body: string) => messageTo({ users: ['42'] }, body, { site: 'nl' });
const secretBody = 'PRIVATE-BODY-TEXT';

const bad: Array<[string, string, string, Record<string, unknown>]> = [
  ['not JSON', '{"action": "message.created", ', 'INVALID_JSON', {}],
  ['JSON but an array', '[1,2,3]', 'INVALID_ENVELOPE', {}],
  [
    'oversized (over POSTBODE_MAX_ENVELOPE_BYTES)',
    JSON.stringify(messageTo({ users: ['42'] }, 'x'.repeat(5000), { site: 'nl' })),
    'TOO_LARGE',
    {},
  ],
  [
    'an unknown action',
    JSON.stringify({ ...good('x'), action: 'message.exploded' }),
    'UNKNOWN_ACTION',
    { action: 'message.exploded', site: 'nl', path: '/action' },
  ],
  [
    'a bad payload',
    JSON.stringify({
      ...good(secretBody),
      data: { ...good(secretBody).data, sentAt: 'yesterday' },
    }),
    'INVALID_PAYLOAD',
    { action: 'message.created', site: 'nl', path: '/data/sentAt' },
  ],
  [
    'no audience',
    JSON.stringify({ action: 'message.created', data: good('x').data, site: 'nl' }),
    'INVALID_ENVELOPE',
    { path: '/to' },
  ],
  [
    'an empty audience',
    JSON.stringify({ ...good('x'), to: { users: [] } }),
    'EMPTY_AUDIENCE',
    { path: '/to', site: 'nl' },
  ],
];

describe('bad envelopes never hurt anyone else', () => {
  it.each(bad)(
    '%s: one log line with the code, a counter, and the next good envelope arrives',
    async (_label, raw, code, fields) => {
      const before = await readMetric(gw.url, 'postbode_envelopes_rejected_total', { code }).catch(
        () => 0,
      );
      const logCount = gw.logs.length;
      const records = recordEvents(socket);
      await redis.publish('postbode', raw);
      const arrived = waitForEvent(socket, 'message.created');
      await redis.publish('postbode', JSON.stringify(good(`after-${code}`)));
      expect((await arrived)[0]).toMatchObject({ body: `after-${code}` });
      // Nothing but the good message reached the socket.
      expect(records.map((r) => r.event)).toEqual(['message.created']);
      const lines = gw.logs.slice(logCount).filter((line) => line.code !== undefined);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ code, source: 'redis', ...fields });
      expect(lines[0]?.msg).toMatch(/^envelope rejected: /);
      expect(JSON.stringify(lines[0])).not.toContain(secretBody);
      expect(await readMetric(gw.url, 'postbode_envelopes_rejected_total', { code })).toBe(
        before + 1,
      );
    },
  );

  it('a flood of garbage is counted and the gateway stays ready', async () => {
    const before = await readMetric(gw.url, 'postbode_envelopes_rejected_total');
    await publishAtOnce(
      redis,
      Array.from({ length: 500 }, (_, i) => (i % 2 ? 'garbage' : '{}')),
    );
    const arrived = waitForEvent(socket, 'message.created');
    await redis.publish('postbode', JSON.stringify(good('after-flood')));
    expect((await arrived)[0]).toMatchObject({ body: 'after-flood' });
    expect(await readMetric(gw.url, 'postbode_envelopes_rejected_total')).toBe(before + 500);
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  });

  it('a client that sends events or an oversized packet is cut off alone', async () => {
    const other = await connectSocket(gw.url, {
      token: await signTestToken({ sub: '43', site: 'nl' }),
    });
    other.emit('message.created', { hack: true });
    const closed = waitForEvent<[string]>(other, 'disconnect');
    other.emit('anything', 'x'.repeat(64 * 1024));
    expect((await closed)[0]).toMatch(/transport close|transport error/);
    const arrived = waitForEvent(socket, 'message.created');
    await redis.publish('postbode', JSON.stringify(good('after-big-packet')));
    expect((await arrived)[0]).toMatchObject({ body: 'after-big-packet' });
  });
});
