import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEnvelope } from '@postbode/protocol';
import { getFreePort, type RedisServer, startRedis, waitUntil } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishError, publishIds } from './support/publish.js';

const one = [
  {
    method: 'conversationUnread',
    to: { users: ['42'] },
    args: { conversationId: 'c-9', unread: 2, totalUnread: 5 },
  },
];

/** An HTTP server on port 0 that answers every request with `handler`, recording requests. */
async function startHttp(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<{ url: string; requests: { req: IncomingMessage; body: string }[]; server: Server }> {
  const requests: { req: IncomingMessage; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ req, body });
      handler(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

async function closeHttp(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('Redis transports', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(['phpredis', 'predis'] as const)(
    '%s publishes the envelope on the channel',
    async (transport) => {
      const subscriber = redis.client();
      try {
        const messages: { channel: string; message: string }[] = [];
        subscriber.on('message', (channel: string, message: string) =>
          messages.push({ channel, message }),
        );
        await subscriber.subscribe('custom-channel');
        const [id] = await publishIds({
          transport,
          redisPort: redis.port,
          channel: 'custom-channel',
          site: 'nl',
          requireSubscriber: true,
          cases: one,
        });
        await waitUntil(() => messages.length === 1, { description: 'the published envelope' });
        expect(messages[0]?.channel).toBe('custom-channel');
        const parsed = parseEnvelope(messages[0]?.message);
        expect(parsed).toMatchObject({
          ok: true,
          envelope: { action: 'conversation.unread', site: 'nl', id, to: { users: ['42'] } },
        });
      } finally {
        subscriber.disconnect();
      }
    },
  );

  it.each(['phpredis', 'predis'] as const)(
    '%s with requireSubscriber throws PublishFailed when no gateway listens',
    async (transport) => {
      const error = await publishError({
        transport,
        redisPort: redis.port,
        channel: `nobody-${transport}`,
        requireSubscriber: true,
        cases: one,
      });
      expect(error.class).toBe('Postbode\\PublishFailed');
      expect(error.message).toBe(`no gateway is subscribed to Redis channel "nobody-${transport}"`);
    },
  );

  it('phpredis without a connection throws PublishFailed with the RedisException', async () => {
    const error = await publishError({ transport: 'phpredis', cases: one });
    expect(error).toMatchObject({ class: 'Postbode\\PublishFailed', previous: 'RedisException' });
    expect(error.message).toMatch(/^Redis PUBLISH on channel "postbode" failed: /);
  });

  it('predis to a port nobody listens on throws PublishFailed with the Predis exception', async () => {
    const error = await publishError({
      transport: 'predis',
      redisPort: await getFreePort(),
      cases: one,
    });
    expect(error).toMatchObject({ class: 'Postbode\\PublishFailed' });
    expect(error.previous).toMatch(/^Predis\\/);
    expect(error.message).toMatch(/^Redis PUBLISH on channel "postbode" failed: /);
  });
});

describe('HttpTransport', () => {
  it('POSTs the envelope to /publish with the key as a bearer token', async () => {
    const http = await startHttp((_req, _body, res) => {
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true,"id":"x"}');
    });
    try {
      const [id] = await publishIds({
        transport: 'http',
        gatewayUrl: `${http.url}/`,
        publishKey: 'k-1',
        cases: one,
      });
      expect(http.requests).toHaveLength(1);
      const [{ req, body }] = http.requests as [{ req: IncomingMessage; body: string }];
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/publish');
      expect(req.headers.authorization).toBe('Bearer k-1');
      expect(req.headers['content-type']).toBe('application/json');
      expect(parseEnvelope(body)).toMatchObject({ ok: true, envelope: { id } });
    } finally {
      await closeHttp(http.server);
    }
  });

  it('throws PublishFailed with the status and the body when the answer is not the gateway JSON', async () => {
    const http = await startHttp((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway from the proxy');
    });
    try {
      const error = await publishError({
        transport: 'http',
        gatewayUrl: http.url,
        publishKey: 'k',
        cases: one,
      });
      expect(error).toMatchObject({
        class: 'Postbode\\PublishFailed',
        httpStatus: 502,
        errorCode: null,
      });
      expect(error.message).toBe(
        `POST ${http.url}/publish answered 502: Bad gateway from the proxy`,
      );
    } finally {
      await closeHttp(http.server);
    }
  });

  it('throws PublishFailed when the gateway does not answer in time', async () => {
    const http = await startHttp(() => {
      // Never answers.
    });
    try {
      const error = await publishError({
        transport: 'http',
        gatewayUrl: http.url,
        publishKey: 'k',
        timeout: 0.3,
        cases: one,
      });
      expect(error.class).toBe('Postbode\\PublishFailed');
      expect(error.message).toMatch(/^POST .*\/publish failed: /);
      expect(error.httpStatus).toBeNull();
    } finally {
      await closeHttp(http.server);
    }
  });

  it('throws PublishFailed when nobody listens', async () => {
    const url = `http://127.0.0.1:${await getFreePort()}`;
    const error = await publishError({
      transport: 'http',
      gatewayUrl: url,
      publishKey: 'k',
      cases: one,
    });
    expect(error.class).toBe('Postbode\\PublishFailed');
    expect(error.message).toMatch(/^POST .*\/publish failed: .*Connection refused/);
  });

  it('refuses a URL that is not http(s) when it is created', async () => {
    const error = await publishError({
      transport: 'http',
      gatewayUrl: 'redis://x',
      publishKey: 'k',
      cases: one,
    });
    expect(error).toMatchObject({ class: 'InvalidArgumentException' });
    expect(error.message).toContain('$gatewayUrl must be an http:// or https:// URL');
  });
});
