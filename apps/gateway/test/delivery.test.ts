import {
  type RedisServer,
  recordEvents,
  startRedis,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectWithSync,
  messageTo,
  publishAtOnce,
  startTestGateway,
  type TestGateway,
} from './support.js';

let redis: RedisServer;
let gw: TestGateway;
const sockets: Socket[] = [];

// Resolved at the connection's postbode:sync, so what a test records afterwards is deliveries only.
async function connect(claims: Record<string, unknown>, options: Record<string, unknown> = {}) {
  const { socket } = await connectWithSync(gw.url, claims, undefined, options);
  sockets.push(socket);
  return socket;
}

/**
 * Publishes `envelope` (an object, or the message's exact text or bytes) then a marker to
 * everyone on `site`, and returns what `socket` got before the marker.
 */
async function publishAndCollect(socketsToWatch: Socket[], envelope: unknown, site = 'default') {
  const records = socketsToWatch.map(recordEvents);
  const message =
    typeof envelope === 'string' || Buffer.isBuffer(envelope) ? envelope : JSON.stringify(envelope);
  await redis.publish('postbode', message);
  // A marker to the whole site, published after: once every socket has it, anything the
  // envelope would have delivered has been delivered (one Redis connection keeps order).
  const marker = {
    action: 'system.announcement',
    data: { text: 'marker', level: 'info' },
    to: { all: true },
    site,
  };
  await redis.publish('postbode', JSON.stringify(marker));
  await waitUntil(() => records.every((r) => r.some((e) => e.event === 'system.announcement')), {
    description: 'the marker on every socket',
  });
  return records.map((r) => r.filter((e) => e.event !== 'system.announcement'));
}

beforeAll(async () => {
  redis = await startRedis();
  gw = await startTestGateway({ POSTBODE_REDIS_URL: redis.url });
  await waitUntil(() => gw.gateway.ready, { description: 'gateway ready' });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await gw.close();
  await redis.stop();
});

describe('delivery to audiences', () => {
  it('delivers to a user: the action as event name, data exactly as published, meta { id, ts, site }', async () => {
    const alice = await connect({ sub: '42' });
    const received = waitForEvent(alice, 'message.created');
    const envelope = messageTo({ users: ['42'] }, 'hoi', { id: 'msg-1', ts: 1764250000123 });
    await redis.publish('postbode', JSON.stringify(envelope));
    const [data, meta] = await received;
    expect(data).toEqual(envelope.data);
    expect(meta).toEqual({ id: 'msg-1', ts: 1764250000123, site: 'default' });
  });

  it('assigns an id and ts when the envelope has none', async () => {
    const alice = await connect({ sub: '42' });
    const received = waitForEvent<[unknown, { id: string; ts: number; site: string }]>(
      alice,
      'message.created',
    );
    const before = Date.now();
    await redis.publish('postbode', JSON.stringify(messageTo({ users: ['42'] }, 'x')));
    const [, meta] = await received;
    expect(meta.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.ts).toBeGreaterThanOrEqual(before);
    expect(meta.site).toBe('default');
  });

  it('accepts integer user ids (PHP ints) and reaches string subs, and integer subs in tokens', async () => {
    const [a, b] = [await connect({ sub: '42' }), await connect({ sub: 7 })];
    const [ra, rb] = await publishAndCollect([a, b], messageTo({ users: [42, 7] }, 'ints'));
    expect(ra?.map((e) => e.event)).toEqual(['message.created']);
    expect(rb?.map((e) => e.event)).toEqual(['message.created']);
  });

  it('reaches only the addressed users', async () => {
    const [a, b, c] = [
      await connect({ sub: '1' }),
      await connect({ sub: '2' }),
      await connect({ sub: '3' }),
    ];
    const [ra, rb, rc] = await publishAndCollect(
      [a, b, c],
      messageTo({ users: ['1', '3'] }, 'some'),
    );
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(0);
    expect(rc).toHaveLength(1);
  });

  it('reaches every socket with a role', async () => {
    const admin = await connect({ sub: '1', roles: ['admin'] });
    const mod = await connect({ sub: '2', roles: ['mod', 'admin'] });
    const user = await connect({ sub: '3' });
    const [ra, rm, ru] = await publishAndCollect(
      [admin, mod, user],
      messageTo({ roles: ['admin'] }, 'roles'),
    );
    expect(ra).toHaveLength(1);
    expect(rm).toHaveLength(1);
    expect(ru).toHaveLength(0);
  });

  it('all: true reaches everyone on the site', async () => {
    const a = await connect({ sub: '1' });
    const b = await connect({ sub: '2', roles: ['x'] });
    const [ra, rb] = await publishAndCollect([a, b], messageTo({ all: true }, 'all'));
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
  });

  it('a socket matched by several parts of the audience gets the message once', async () => {
    const both = await connect({ sub: '5', roles: ['admin', 'mod'] });
    const [received] = await publishAndCollect(
      [both],
      messageTo({ users: ['5', 5], roles: ['admin', 'mod'] }, 'union'),
    );
    expect(received).toHaveLength(1);
  });

  it('reaches both sockets of a user on two tabs', async () => {
    const tab1 = await connect({ sub: '9' });
    const tab2 = await connect({ sub: '9' });
    const [r1, r2] = await publishAndCollect([tab1, tab2], messageTo({ users: ['9'] }, 'tabs'));
    expect(r1).toHaveLength(1);
    expect(r2).toHaveLength(1);
  });

  it('never crosses sites: same user id, role and all on another site get nothing', async () => {
    const nl = await connect({ sub: '42', site: 'nl', roles: ['admin'] });
    const be = await connect({ sub: '42', site: 'be', roles: ['admin'] });
    const plain = await connect({ sub: '42' });
    for (const to of [{ users: ['42'] }, { roles: ['admin'] }, { all: true }]) {
      const envelope = messageTo(to, `nl-${Object.keys(to)[0]}`, { site: 'nl' });
      const records = [nl, be, plain].map(recordEvents);
      await redis.publish('postbode', JSON.stringify(envelope));
      for (const site of ['nl', 'be', 'default']) {
        const marker = {
          action: 'system.announcement',
          data: { text: 'm', level: 'info' },
          to: { all: true },
          site,
        };
        await redis.publish('postbode', JSON.stringify(marker));
      }
      await waitUntil(() => records.every((r) => r.some((e) => e.event === 'system.announcement')));
      const created = records.map((r) => r.filter((e) => e.event === 'message.created'));
      expect(created[0]).toHaveLength(1);
      expect(created[0]?.[0]?.args[1]).toMatchObject({ site: 'nl' });
      expect(created[1]).toHaveLength(0);
      expect(created[2]).toHaveLength(0);
    }
  });

  it('delivers to a long-polling-only client as to a websocket client', async () => {
    const polling = await connect({ sub: '11' }, { transports: ['polling'], upgrade: false });
    const ws = await connect({ sub: '11' }, { transports: ['websocket'] });
    expect(polling.io.engine.transport.name).toBe('polling');
    expect(ws.io.engine.transport.name).toBe('websocket');
    const [rp, rw] = await publishAndCollect(
      [polling, ws],
      messageTo({ users: ['11'] }, 'transports'),
    );
    expect(rp?.[0]?.args[0]).toMatchObject({ body: 'transports' });
    expect(rw?.[0]?.args[0]).toMatchObject({ body: 'transports' });
  });

  // The frame carries `data` as the publisher wrote it (ingest/data-bytes.ts): a client must
  // still read the value the gateway validated, on both write paths.
  it('delivers data as JSON.parse read it, however the publisher spelled it, over websocket and polling', async () => {
    const ws = await connect({ sub: '12' }, { transports: ['websocket'] });
    const polling = await connect({ sub: '12' }, { transports: ['polling'], upgrade: false });
    const text = [
      '{ "to" : { "users" : [ 12 ] },',
      '  "data": { "body": "an earlier data member: JSON.parse takes the last" },',
      '  "action" : "message.created",',
      '  "d\\u0061ta" : {',
      '    "messageId": "m-\\u00e9", "conversationId": "c-1", "senderId": "1",',
      '    "body": "h\\u00e9 \\"quoted\\" \\\\ 👋🏽 \\u2028 é {\\"data\\": 1}",',
      '    "sentAt": 1.76425e12',
      '  }',
      '}',
    ].join('\n');
    const { data } = JSON.parse(text) as { data: { body: string } };
    expect(data.body).toBe('hé "quoted" \\ 👋🏽 \u2028 é {"data": 1}');
    const [rw, rp] = await publishAndCollect([ws, polling], text);
    expect(rw?.map((e) => e.args[0])).toEqual([data]);
    expect(rp?.map((e) => e.args[0])).toEqual([data]);
  });

  it('bytes of data that are not UTF-8 reach clients as JSON.parse read them, and no client is dropped', async () => {
    const ws = await connect({ sub: '13' }, { transports: ['websocket'] });
    const raw = Buffer.concat([
      Buffer.from('{"action":"message.created","to":{"users":["13"]},"data":{"messageId":"m-1",'),
      Buffer.from('"conversationId":"c-1","senderId":"1","sentAt":1764250000000,"body":"a'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('b"}}'),
    ]);
    // A WebSocket text frame must be UTF-8: a client that got these bytes would close with 1007.
    const [received] = await publishAndCollect([ws], raw);
    expect(received?.map((e) => (e.args[0] as { body: string }).body)).toEqual(['a\ufffd\ufffdb']);
    expect(ws.connected).toBe(true);
  });

  it('delivers every action of the registry with its data intact', async () => {
    const { serverActions, serverActionNames } = await import('@postbode/protocol');
    const socket = await connect({ sub: '77' });
    const names = serverActionNames.filter((name) => name !== 'system.announcement');
    const envelopes = names.map((name) => ({
      action: name,
      data: serverActions[name].example,
      to: { users: ['77'] },
    }));
    const [received] = await publishAndCollect([socket], envelopes[0]);
    expect(received?.[0]?.args[0]).toEqual(envelopes[0]?.data);
    for (const envelope of envelopes.slice(1)) {
      const next = waitForEvent(socket, envelope.action);
      await redis.publish('postbode', JSON.stringify(envelope));
      expect((await next)[0]).toEqual(envelope.data);
    }
  });

  it('a burst of 2000 messages arrives complete and in order over websocket, polling and an upgrade', async () => {
    const websocket = await connect({ sub: '88' }, { transports: ['websocket'] });
    const polling = await connect({ sub: '88' }, { transports: ['polling'], upgrade: false });
    // Starts on polling and upgrades to websocket while the burst may be under way.
    const upgrading = await connect({ sub: '88' }, { transports: ['polling', 'websocket'] });
    const received = [websocket, polling, upgrading].map((socket) => {
      const bodies: string[] = [];
      socket.on('message.created', (data: { body: string }) => bodies.push(data.body));
      return bodies;
    });
    const count = 2000;
    await publishAtOnce(
      redis,
      Array.from({ length: count }, (_, i) =>
        JSON.stringify(messageTo({ users: ['88'] }, String(i))),
      ),
    );
    await waitUntil(() => received.every((bodies) => bodies.length >= count), {
      timeoutMs: 30_000,
      description: 'the whole burst on every socket',
    });
    const expected = Array.from({ length: count }, (_, i) => String(i));
    for (const bodies of received) expect(bodies).toEqual(expected);
  });
});
