import { connectSocket, signTestToken, waitForEvent } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageTo, readMetric, startTestGateway, type TestGateway } from './support.js';

const KEY = 'publish-key-0123456789';

describe('embedded gateway with POST /publish', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_PUBLISH_KEY: KEY });
  });
  afterAll(() => gw.close());

  const publish = (body: string, key: string | null = KEY) =>
    fetch(`${gw.url}/publish`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      },
      body,
    });

  it('GET /healthz and /readyz answer 200; the embedded bus is always ready', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', bus: 'subscribed' });
  });

  it('warns at start-up that the bus is embedded', () => {
    expect(gw.logs.some((line) => /in-memory bus/.test(line.msg) && line.level === 40)).toBe(true);
  });

  it('202 with the id, and the message arrives with that id', async () => {
    const socket = await connectSocket(gw.url, { token: await signTestToken({ sub: '42' }) });
    try {
      const arrived = waitForEvent<[unknown, { id: string }]>(socket, 'message.created');
      const response = await publish(JSON.stringify(messageTo({ users: [42] }, 'via-http')));
      expect(response.status).toBe(202);
      const body = (await response.json()) as { ok: boolean; id: string };
      expect(body.ok).toBe(true);
      const [data, meta] = await arrived;
      expect(data).toMatchObject({ body: 'via-http' });
      expect(meta.id).toBe(body.id);
    } finally {
      socket.disconnect();
    }
  });

  it('keeps a given id', async () => {
    const response = await publish(
      JSON.stringify(messageTo({ users: ['1'] }, 'x', { id: 'mine' })),
    );
    expect(await response.json()).toEqual({ ok: true, id: 'mine' });
  });

  it.each([
    ['not JSON', 'nope', 'INVALID_JSON', '/'],
    [
      'an unknown action',
      JSON.stringify({ ...messageTo({ users: ['1'] }, 'x'), action: 'nope.nope' }),
      'UNKNOWN_ACTION',
      '/action',
    ],
    [
      'a bad payload',
      JSON.stringify(messageTo({ users: ['1'] }, 'x', { data: { body: 5 } })),
      'INVALID_PAYLOAD',
      '/data/messageId',
    ],
    ['an empty audience', JSON.stringify(messageTo({}, 'x')), 'EMPTY_AUDIENCE', '/to'],
  ])('400 with the parse error for %s', async (_label, body, code, path) => {
    const response = await publish(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as {
      ok: boolean;
      error: { code: string; message: string; path?: string };
    };
    expect(json.ok).toBe(false);
    expect(json.error.code).toBe(code);
    expect(json.error.path).toBe(path);
    expect(json.error.message.length).toBeGreaterThan(5);
  });

  it('401 without a key or with a wrong one', async () => {
    for (const key of [null, 'wrong-key-0123456789', `${KEY}x`]) {
      const response = await publish(JSON.stringify(messageTo({ users: ['1'] }, 'x')), key);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('413 for a body over 64 KiB, counted as TOO_LARGE', async () => {
    const response = await publish(
      JSON.stringify(messageTo({ users: ['1'] }, 'x'.repeat(70 * 1024))),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(
      await readMetric(gw.url, 'postbode_envelopes_rejected_total', {
        code: 'TOO_LARGE',
        source: 'http',
      }),
    ).toBeGreaterThan(0);
  });

  it('counts an accepted and a rejected POST /publish once each, both under source "http"', async () => {
    const count = (name: string, labels: Record<string, string>) =>
      readMetric(gw.url, name, labels).catch(() => 0);
    const received = await count('postbode_envelopes_received_total', { source: 'http' });
    const rejected = await count('postbode_envelopes_rejected_total', { source: 'http' });
    const delivered = await count('postbode_envelopes_delivered_total', {});
    expect((await publish(JSON.stringify(messageTo({ users: ['1'] }, 'counted')))).status).toBe(
      202,
    );
    expect((await publish('nope')).status).toBe(400);
    expect(await count('postbode_envelopes_received_total', { source: 'http' })).toBe(received + 2);
    expect(await count('postbode_envelopes_rejected_total', { source: 'http' })).toBe(rejected + 1);
    expect(await count('postbode_envelopes_delivered_total', {})).toBe(delivered + 1);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).not.toMatch(/postbode_envelopes_received_total\{source="memory"\}/);
  });

  it('GET /metrics speaks Prometheus and has the gateway metrics', async () => {
    const response = await fetch(`${gw.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const name of [
      'postbode_sockets_connected',
      'postbode_connections_total',
      'postbode_auth_refusals_total',
      'postbode_envelopes_received_total',
      'postbode_envelopes_delivered_total',
      'postbode_envelopes_rejected_total',
      'postbode_emit_fanout_sockets',
      'postbode_delivery_latency_seconds',
      'postbode_bus_reconnects_total',
      'postbode_bus_resubscribes_total',
      'postbode_bus_gap_seconds_total',
      'postbode_bus_last_message_age_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name}`);
    }
  });

  it('counts connected sockets', async () => {
    const socket = await connectSocket(gw.url, { token: await signTestToken({ sub: '1' }) });
    try {
      expect(await readMetric(gw.url, 'postbode_sockets_connected')).toBeGreaterThanOrEqual(1);
    } finally {
      socket.disconnect();
    }
  });

  it('404 for unknown routes', async () => {
    const response = await fetch(`${gw.url}/nope`);
    expect(response.status).toBe(404);
  });
});

describe('without POSTBODE_PUBLISH_KEY', () => {
  it('POST /publish is 404 and says how to enable it', async () => {
    const gw = await startTestGateway();
    try {
      const response = await fetch(`${gw.url}/publish`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        error: { code: 'NOT_FOUND', message: /POSTBODE_PUBLISH_KEY/ },
      });
    } finally {
      await gw.close();
    }
  });
});

describe('CORS', () => {
  it('same origin only by default: a foreign Origin is refused, no Origin and the same origin pass', async () => {
    const gw = await startTestGateway();
    try {
      const token = await signTestToken({ sub: '1' });
      const handshake = (origin?: string) =>
        fetch(
          `${gw.url}/socket.io/?EIO=4&transport=polling`,
          origin === undefined ? {} : { headers: { origin } },
        );
      expect((await handshake('https://evil.example')).status).toBe(403);
      expect((await handshake()).status).toBe(200);
      expect((await handshake(gw.url)).status).toBe(200);
      const socket = await connectSocket(gw.url, { token, extraHeaders: { origin: gw.url } });
      socket.disconnect();
    } finally {
      await gw.close();
    }
  });

  it('an allow-list admits its origins and answers with CORS headers', async () => {
    const gw = await startTestGateway({
      POSTBODE_CORS_ORIGINS: 'https://chat.example, https://www.example',
    });
    try {
      const ok = await fetch(`${gw.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: 'https://www.example' },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://www.example');
      const refused = await fetch(`${gw.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: 'https://other.example' },
      });
      expect(refused.status).toBe(403);
    } finally {
      await gw.close();
    }
  });
});
