import { createHmac } from 'node:crypto';
import {
  type ConnectRefusal,
  connectSocket,
  signTestToken,
  TEST_JWT_SECRET,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_REFUSED_CONNECTS } from '../src/connection/one-socket-per-connection.js';
import { messageTo, readMetric, startTestGateway, type TestGateway } from './support.js';

// Issue 16, findings 1 and 8: one authenticated socket per Engine.IO connection, and limits
// on sockets per user, connections and handshakes per address, and unauthenticated time.

const PUBLISH_KEY = 'publish-key-0123456789';
const RS = '\x1e'; // engine.io's packet separator in a long-polling payload

async function publish(url: string, envelope: unknown): Promise<void> {
  const res = await fetch(`${url}/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PUBLISH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  expect(res.status).toBe(202);
}

/** A raw engine.io WebSocket: every frame it receives, and whether it was closed. */
async function rawWebSocket(url: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  let closed = false;
  ws.on('message', (data) => {
    const text = String(data);
    if (text === '2') ws.send('3'); // answer pings: a client that is alive
    frames.push(text);
  });
  ws.on('close', () => {
    closed = true;
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  await waitUntil(() => frames.some((f) => f.startsWith('0{')), { description: 'engine open' });
  return { ws, frames, isClosed: () => closed };
}

/** An HS256 token over exactly `payload` (JSON text), as a PHP backend would sign it. */
function signRawHs256(payload: string): string {
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const input = `${part('{"alg":"HS256","typ":"JWT"}')}.${part(payload)}`;
  const signature = createHmac('sha256', TEST_JWT_SECRET).update(input).digest('base64url');
  return `${input}.${signature}`;
}

const refusalOf = async (url: string, options: Parameters<typeof connectSocket>[1]) => {
  try {
    (await connectSocket(url, options)).disconnect();
  } catch (error) {
    return error as ConnectRefusal;
  }
  throw new Error('expected a refusal');
};

describe('one socket per connection (a CONNECT burst)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_PUBLISH_KEY: PUBLISH_KEY });
  });
  afterAll(() => gw.close());

  it('two CONNECTs on one WebSocket: one socket, one refusal, each message written once', async () => {
    const token = await signTestToken({ sub: 'burst-2' });
    const raw = await rawWebSocket(gw.url);
    // Both in one TCP write, so the second arrives while the first is authenticating (once a
    // socket is connected, socket.io itself closes a connection that sends another CONNECT).
    const tcp = (raw.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    tcp.cork();
    raw.ws.send(`40${JSON.stringify({ token })}`);
    raw.ws.send(`40${JSON.stringify({ token })}`);
    tcp.uncork();
    await waitUntil(() => raw.frames.some((f) => f.startsWith('42["postbode:sync"')), {
      description: 'the socket is live',
    });
    const connects = raw.frames.filter((f) => f.startsWith('40'));
    const refusals = raw.frames.filter((f) => f.startsWith('44'));
    expect(connects).toHaveLength(1);
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]?.slice(2) ?? '{}')).toMatchObject({
      data: { code: 'RATE_LIMITED' },
    });
    const other = await connectSocket(gw.url, { token: await signTestToken({ sub: 'burst-2' }) });
    try {
      const got = waitForEvent(other, 'message.created');
      await publish(gw.url, messageTo({ users: ['burst-2'] }, 'once'));
      await got;
      await waitUntil(() => raw.frames.some((f) => f.includes('"body":"once"')), {
        description: 'the raw socket got it',
      });
      // The well-behaved socket got it; give the raw connection a second message as a fence.
      const fence = waitForEvent(other, 'message.created');
      await publish(gw.url, messageTo({ users: ['burst-2'] }, 'fence'));
      await fence;
      await waitUntil(() => raw.frames.some((f) => f.includes('"body":"fence"')), {
        description: 'the fence',
      });
      expect(raw.frames.filter((f) => f.includes('"body":"once"'))).toHaveLength(1);
    } finally {
      other.disconnect();
      raw.ws.close();
    }
  });

  it('200 CONNECTs on one WebSocket: refused, counted, the connection closed, others served', async () => {
    const token = await signTestToken({ sub: 'burst-200' });
    const before = await readMetric(gw.url, 'postbode_connection_refusals_total', {
      reason: 'second_socket',
    }).catch(() => 0);
    const bystander = await connectSocket(gw.url, {
      token: await signTestToken({ sub: 'bystander' }),
    });
    const raw = await rawWebSocket(gw.url);
    // One frame per packet, sent back to back.
    for (let i = 0; i < 200; i++) raw.ws.send(`40${JSON.stringify({ token })}`);
    await waitUntil(() => raw.isClosed(), { description: 'the flooding connection closed' });
    const after = await readMetric(gw.url, 'postbode_connection_refusals_total', {
      reason: 'second_socket',
    });
    // Each refused CONNECT is counted; past MAX_REFUSED_CONNECTS the connection is closed, and
    // what it sent after that is never read.
    expect(after - before).toBeGreaterThan(MAX_REFUSED_CONNECTS);
    expect(raw.frames.filter((f) => f.startsWith('40')).length).toBeLessThanOrEqual(1);
    await waitUntil(async () => (await readMetric(gw.url, 'postbode_sockets_connected')) === 1, {
      description: 'only the bystander is connected',
    });
    const got = waitForEvent<[{ body: string }]>(bystander, 'message.created');
    await publish(gw.url, messageTo({ users: ['bystander', 'burst-200'] }, 'after-burst'));
    expect((await got)[0].body).toBe('after-burst');
    bystander.disconnect();
  });

  it('20 CONNECTs in one long-polling POST: at most one socket, the rest refused', async () => {
    const token = await signTestToken({ sub: 'burst-poll' });
    const base = `${gw.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const before = await readMetric(gw.url, 'postbode_connection_refusals_total', {
      reason: 'second_socket',
    }).catch(() => 0);
    const body = Array.from({ length: 20 }, () => `40${JSON.stringify({ token })}`).join(RS);
    const post = await fetch(`${base}&sid=${sid}`, { method: 'POST', body });
    expect(post.status).toBe(200);
    const packets: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}&sid=${sid}`);
      if (res.status !== 200) break;
      const text = await res.text();
      packets.push(...text.split(RS));
      if (packets.includes('1')) break; // engine.io close
    }
    // No socket (the connection is closed before the first token is verified): its buffered
    // refusals are discarded with it, the next poll finds it gone.
    expect(packets.filter((p) => p.startsWith('40'))).toEqual([]);
    expect((await fetch(`${base}&sid=${sid}`)).status).toBe(400);
    const after = await readMetric(gw.url, 'postbode_connection_refusals_total', {
      reason: 'second_socket',
    });
    expect(after - before).toBeGreaterThan(MAX_REFUSED_CONNECTS);
    await waitUntil(async () => (await readMetric(gw.url, 'postbode_sockets_connected')) === 0, {
      description: 'no socket left from the burst',
    });
    // Everyone else is served.
    const fine = await connectSocket(gw.url, { token: await signTestToken({ sub: 'fine' }) });
    const got = waitForEvent(fine, 'message.created');
    await publish(gw.url, messageTo({ users: ['fine'] }, 'served'));
    await got;
    fine.disconnect();
  });

  it('a well-behaved client that reconnects on its connection after a refusal is served', async () => {
    const socket = await connectSocket(gw.url, { token: await signTestToken({ sub: 'again' }) });
    socket.disconnect();
    socket.connect();
    await waitForEvent(socket, 'connect');
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});

describe('integer ids beyond 2^53 (finding 2)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_PUBLISH_KEY: PUBLISH_KEY });
  });
  afterAll(() => gw.close());

  it('sub 9007199254740993 and user "9007199254740992" no longer share a room', async () => {
    // Signed as PHP's json_encode writes it; parsed, it reads as 9007199254740992: refused.
    const exp = Math.floor(Date.now() / 1000) + 600;
    const rounded = await refusalOf(gw.url, {
      token: signRawHs256(`{"sub":9007199254740993,"exp":${exp}}`),
    });
    expect(rounded.data?.code).toBe('UNAUTHORIZED');
    expect(rounded.message).toMatch(/claim \/sub .*send large ids as strings/);
    const user = await connectSocket(gw.url, {
      token: await signTestToken({ sub: '9007199254740992' }),
    });
    const events: string[] = [];
    user.on('message.created', (data: { body: string }) => events.push(data.body));
    // An integer audience id beyond the range: 400, naming it.
    const raw = JSON.stringify(messageTo({ users: ['x'] }, 'int')).replace(
      '"users":["x"]',
      '"users":[9007199254740993]',
    );
    const response = await fetch(`${gw.url}/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISH_KEY}` },
      body: raw,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_ENVELOPE', path: '/to/users/0' },
    });
    // Large ids as strings stay exact: only the named user gets each message.
    await publish(gw.url, messageTo({ users: ['9007199254740993'] }, 'not-yours'));
    await publish(gw.url, messageTo({ users: ['9007199254740992'] }, 'yours'));
    await waitUntil(() => events.includes('yours'), { description: 'its own message' });
    expect(events).toEqual(['yours']);
    user.disconnect();
  });
});

describe('sockets per user', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_MAX_SOCKETS_PER_USER: '2' });
  });
  afterAll(() => gw.close());

  it('the third socket of one user is refused with RATE_LIMITED; others and later ones are not', async () => {
    const token = await signTestToken({ sub: 'many' });
    const first = await connectSocket(gw.url, { token });
    const second = await connectSocket(gw.url, { token });
    const refused = await refusalOf(gw.url, { token });
    expect(refused.data?.code).toBe('RATE_LIMITED');
    expect(refused.message).toMatch(/POSTBODE_MAX_SOCKETS_PER_USER/);
    // Same sub on another site is another user.
    const otherSite = await connectSocket(gw.url, {
      token: await signTestToken({ sub: 'many', site: 'be' }),
    });
    first.disconnect();
    await waitUntil(async () => (await readMetric(gw.url, 'postbode_sockets_connected')) === 2, {
      description: 'the first socket gone',
    });
    const third = await connectSocket(gw.url, { token });
    expect(
      await readMetric(gw.url, 'postbode_connection_refusals_total', { reason: 'user_limit' }),
    ).toBe(1);
    for (const socket of [second, third, otherSite]) socket.disconnect();
  });
});

describe('connections and handshakes per address', () => {
  it('the connection over the per-address limit is refused; a closed one frees its place', async () => {
    const gw = await startTestGateway({ POSTBODE_MAX_CONNECTIONS_PER_ADDRESS: '2' });
    try {
      const token = await signTestToken({ sub: 'addr' });
      const sockets = [
        await connectSocket(gw.url, { token }),
        await connectSocket(gw.url, { token }),
      ];
      for (const transports of [['websocket'], ['polling']]) {
        const refused = await refusalOf(gw.url, { token, transports });
        expect(refused.message).toMatch(/error/);
      }
      expect(
        await readMetric(gw.url, 'postbode_connection_refusals_total', { reason: 'address_limit' }),
      ).toBe(2);
      expect(gw.logs.filter((l) => String(l.msg).includes('too many connections'))).toHaveLength(1);
      sockets.shift()?.disconnect();
      await waitUntil(
        async () => {
          try {
            sockets.push(await connectSocket(gw.url, { token, timeoutMs: 2_000 }));
            return true;
          } catch {
            return false;
          }
        },
        { description: 'a place freed' },
      );
      for (const socket of sockets) socket.disconnect();
    } finally {
      await gw.close();
    }
  });

  it('handshakes over the per-minute rate are refused; the proxy header counts only when trusted', async () => {
    const untrusted = await startTestGateway({ POSTBODE_HANDSHAKES_PER_MINUTE: '3' });
    const trusted = await startTestGateway({
      POSTBODE_HANDSHAKES_PER_MINUTE: '3',
      POSTBODE_TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
    });
    try {
      const token = await signTestToken({ sub: 'rate' });
      const from = (address: string) => ({
        token,
        transports: ['polling'],
        extraHeaders: { 'x-forwarded-for': `203.0.113.9, ${address}` },
      });
      // Untrusted: the header is ignored, every handshake is 127.0.0.1's.
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        (await connectSocket(untrusted.url, from(address))).disconnect();
      }
      await refusalOf(untrusted.url, from('198.51.100.4'));
      expect(
        await readMetric(untrusted.url, 'postbode_connection_refusals_total', {
          reason: 'handshake_rate',
        }),
      ).toBe(1);
      // Trusted: the last entry is the client's address; each address has its own bucket.
      for (let i = 0; i < 3; i++)
        (await connectSocket(trusted.url, from('198.51.100.7'))).disconnect();
      await refusalOf(trusted.url, from('198.51.100.7'));
      (await connectSocket(trusted.url, from('198.51.100.8'))).disconnect();
      const line = trusted.logs.find((l) => l.reason === 'handshake_rate');
      expect(line?.address).toBe('198.51.100.7');
    } finally {
      await untrusted.close();
      await trusted.close();
    }
  });

  it('a connection that never authenticates is closed after POSTBODE_AUTH_TIMEOUT_MS', async () => {
    const gw = await startTestGateway({ POSTBODE_AUTH_TIMEOUT_MS: '1000' });
    try {
      const idle = await rawWebSocket(gw.url);
      const refused = await rawWebSocket(gw.url);
      refused.ws.send(`40${JSON.stringify({ token: 'not-a-token' })}`);
      const fine = await connectSocket(gw.url, { token: await signTestToken({ sub: 'ok' }) });
      await waitUntil(() => idle.isClosed() && refused.isClosed(), {
        description: 'both unauthenticated connections closed',
        timeoutMs: 20_000,
      });
      expect(refused.frames.some((f) => f.startsWith('44'))).toBe(true);
      expect(fine.connected).toBe(true);
      fine.disconnect();
    } finally {
      await gw.close();
    }
  });
});
