import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEnvelope } from '@postbode/protocol';
import { getFreePort, type RedisServer, startRedis, waitUntil } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_LAYOUT } from '../src/build-model.js';
import { publishError, published, publishIds } from './support/publish.js';

const streamTransports = ['phpredis', 'predis'] as const;
const pubSubTransports = ['phpredis-pubsub', 'predis-pubsub'] as const;

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

describe('Redis stream transports (durable)', () => {
  let redis: RedisServer;
  let client: ReturnType<RedisServer['client']>;
  beforeAll(async () => {
    redis = await startRedis();
    client = redis.client();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  /** The entries of `stream` as `{ id, fields }`. */
  async function entries(stream: string) {
    const raw = await client.xrange(stream, '-', '+');
    return raw.map(([id, fields]) => ({ id, fields }));
  }

  it.each(streamTransports)(
    '%s appends the envelope to the default stream, one field "envelope"',
    async (transport) => {
      await client.del(STREAM_LAYOUT.defaultStream);
      const [id] = await publishIds({ transport, redisPort: redis.port, site: 'nl', cases: one });
      const [entry, ...rest] = await entries(STREAM_LAYOUT.defaultStream);
      expect(rest).toEqual([]);
      expect(entry?.fields[0]).toBe('envelope');
      expect(entry?.fields).toHaveLength(2);
      expect(parseEnvelope(entry?.fields[1])).toMatchObject({
        ok: true,
        envelope: { action: 'conversation.unread', site: 'nl', id, to: { users: ['42'] } },
      });
    },
  );

  it.each(streamTransports)(
    '%s appends to the stream it is given, named exactly, whatever the client prefixes or serializes',
    async (transport) => {
      const stream = `custom:${transport}`;
      await publishIds({
        transport,
        redisPort: redis.port,
        stream,
        clientPrefix: 'app:',
        cases: [...one, ...one],
      });
      const found = await entries(stream);
      expect(found).toHaveLength(2);
      for (const entry of found) expect(parseEnvelope(entry.fields[1]).ok).toBe(true);
      expect(await client.keys('app:*')).toEqual([]);
    },
  );

  it.each(streamTransports)(
    "%s cursor(): on a fresh Redis it starts the epoch in the stream's meta hash, at 0-0",
    async (transport) => {
      const stream = `fresh:${transport}`;
      const { cursor } = await published({
        transport,
        redisPort: redis.port,
        stream,
        cursor: true,
      });
      // Exactly what a page embeds: two keys, in this order.
      expect(cursor).toMatch(/^\{"epoch":"[^"]+","offset":"0-0"\}$/);
      const { epoch } = JSON.parse(cursor as string);
      expect(epoch).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(await client.hget(`${stream}${STREAM_LAYOUT.metaSuffix}`, 'epoch')).toBe(epoch);
      expect(await client.exists(stream)).toBe(0);

      // The next cursor keeps the epoch and is at the last entry, whichever client reads it.
      const other = transport === 'phpredis' ? 'predis' : 'phpredis';
      const [id] = await publishIds({ transport, redisPort: redis.port, stream, cases: one });
      const next = await published({
        transport: other,
        redisPort: redis.port,
        stream,
        cursor: true,
      });
      const [entry] = await entries(stream);
      expect(JSON.parse(next.cursor as string)).toEqual({ epoch, offset: entry?.id });
      expect(JSON.parse(entry?.fields[1] ?? '{}').id).toBe(id);
    },
  );

  it("cursor() runs the protocol's read.lua itself: EVALSHA of its SHA1, EVAL only when Redis lacks it", async () => {
    const lua = await readFile(
      new URL(import.meta.resolve('@postbode/protocol/redis/read.lua')),
      'utf8',
    );
    await client.script('FLUSH');
    await client.config('RESETSTAT');
    for (const transport of streamTransports) {
      await published({ transport, redisPort: redis.port, stream: 'sha', cursor: true });
    }
    const sha = createHash('sha1').update(lua).digest('hex');
    expect(await client.script('EXISTS', sha)).toEqual([1]);
    const stats = (await client.info('commandstats'))
      .split('\r\n')
      .filter((line) => line.startsWith('cmdstat_eval'))
      .sort();
    expect(stats).toEqual([
      expect.stringMatching(/^cmdstat_eval:calls=1,/),
      expect.stringMatching(/^cmdstat_evalsha:calls=2,.*failed_calls=1$/),
    ]);
  });

  describe.each(streamTransports)('%s failures', (transport) => {
    const stream = `not-a-stream:${transport}`;
    beforeAll(async () => {
      await client.set(stream, 'a string');
    });

    // Predis returns error replies instead of throwing them with 'exceptions' => false.
    it.each([
      { call: 'publishing', input: { cases: one }, thrown: 'PublishFailed', says: 'Redis XADD to' },
      {
        call: 'cursor()',
        input: { cursor: true },
        thrown: 'CursorUnavailable',
        says: 'reading the cursor of Redis',
      },
    ])('$call throws $thrown with the error Redis answered', async ({ input, thrown, says }) => {
      for (const predisExceptions of [true, false]) {
        const error = await publishError({
          transport,
          redisPort: redis.port,
          stream,
          predisExceptions,
          ...input,
        });
        expect(error.class).toBe(`Postbode\\${thrown}`);
        expect(error.message).toMatch(new RegExp(`^${says} stream "${stream}" failed: WRONGTYPE `));
      }
    });

    it('refuses an empty stream name when it is created', async () => {
      const error = await publishError({ transport, redisPort: redis.port, stream: '' });
      expect(error).toMatchObject({
        class: 'Postbode\\InvalidArgument',
        message: '$stream must not be empty',
      });
    });
  });

  it('phpredis without a connection throws PublishFailed, and CursorUnavailable, with the RedisException', async () => {
    const error = await publishError({ transport: 'phpredis', cases: one });
    expect(error).toMatchObject({ class: 'Postbode\\PublishFailed', previous: 'RedisException' });
    expect(error.message).toMatch(
      new RegExp(`^Redis XADD to stream "${STREAM_LAYOUT.defaultStream}" failed: `),
    );
    const cursor = await publishError({ transport: 'phpredis', cursor: true });
    expect(cursor).toMatchObject({
      class: 'Postbode\\CursorUnavailable',
      previous: 'RedisException',
    });
  });

  it('predis to a port nobody listens on throws PublishFailed, and CursorUnavailable, with the Predis exception', async () => {
    const redisPort = await getFreePort();
    const error = await publishError({ transport: 'predis', redisPort, cases: one });
    expect(error).toMatchObject({ class: 'Postbode\\PublishFailed' });
    expect(error.previous).toMatch(/^Predis\\/);
    expect(error.message).toMatch(
      new RegExp(`^Redis XADD to stream "${STREAM_LAYOUT.defaultStream}" failed: `),
    );
    const cursor = await publishError({ transport: 'predis', redisPort, cursor: true });
    expect(cursor.class).toBe('Postbode\\CursorUnavailable');
    expect(cursor.previous).toMatch(/^Predis\\/);
  });
});

describe('Redis pub/sub transports (live only)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(pubSubTransports)('%s publishes the envelope on the channel', async (transport) => {
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
  });

  it.each(pubSubTransports)(
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

  it.each(pubSubTransports)(
    '%s cannot give a cursor: its messages are not in the stream',
    async (transport) => {
      const error = await publishError({ transport, redisPort: redis.port, cursor: true });
      expect(error.class).toBe('Postbode\\CursorUnavailable');
      expect(error.message).toMatch(/^Postbode\\Transport\\P\w+PubSubTransport cannot read/);
    },
  );

  it.each(pubSubTransports)('%s refuses an empty channel when it is created', async (transport) => {
    const error = await publishError({ transport, redisPort: redis.port, channel: '' });
    expect(error).toMatchObject({
      class: 'Postbode\\InvalidArgument',
      message: '$channel must not be empty',
    });
  });

  it('phpredis without a connection throws PublishFailed with the RedisException', async () => {
    const error = await publishError({ transport: 'phpredis-pubsub', cases: one });
    expect(error).toMatchObject({ class: 'Postbode\\PublishFailed', previous: 'RedisException' });
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

  it('cannot give a cursor: cursor() throws CursorUnavailable before anything is sent', async () => {
    const error = await publishError({
      transport: 'http',
      gatewayUrl: `http://127.0.0.1:${await getFreePort()}`,
      publishKey: 'k',
      cursor: true,
    });
    expect(error.class).toBe('Postbode\\CursorUnavailable');
    expect(error.message).toBe(
      "Postbode\\Transport\\HttpTransport cannot read the stream's cursor: Publisher::cursor() needs a transport that appends to the Redis stream itself (Transport\\PhpRedisTransport or Transport\\PredisTransport)",
    );
  });

  it('refuses a URL that is not http(s) when it is created', async () => {
    const error = await publishError({
      transport: 'http',
      gatewayUrl: 'redis://x',
      publishKey: 'k',
      cases: one,
    });
    expect(error).toMatchObject({ class: 'Postbode\\InvalidArgument' });
    expect(error.message).toContain('$gatewayUrl must be an http:// or https:// URL');
  });
});
