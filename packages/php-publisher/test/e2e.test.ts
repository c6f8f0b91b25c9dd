import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type ServerActionName, serverActions } from '@postbode/protocol';
import {
  connectSocket,
  type GatewayProcess,
  type RedisServer,
  recordEvents,
  startGatewayProcess,
  startRedis,
  TEST_JWT_SECRET,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, STREAM_LAYOUT } from '../src/build-model.js';
import { type DeliveredAction, deliveredActions } from './support/delivered-actions.js';
import { casesFor, type PublishCase } from './support/payload-cases.js';
import { publishError, published, publishIds } from './support/publish.js';
import { connectResuming } from './support/resuming-socket.js';
import { phpToken } from './support/tokens.js';

const entry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));
const model = buildModel();

/** Per action: every field set; and int ids with \DateTimeImmutable times. */
const deliveries: PublishCase[] = model.actions.flatMap((action) => {
  const example = serverActions[action.name as ServerActionName].example as Record<string, unknown>;
  return casesFor(action, example)
    .filter((c) => c.name === 'every field' || c.name.startsWith('int ids'))
    .map((c) => ({ ...c, to: { users: ['42'] } }));
});

/** A socket.io client connected as a browser does, and the actions it receives. */
interface Client {
  /** Every action received so far, in order. */
  received(): DeliveredAction[];
  close(): void;
}

/** Connects like a browser does (`io(url, { auth: { token } })`) and records what arrives. */
async function connectClient(url: string, token: string): Promise<Client> {
  const socket = await connectSocket(url, { token });
  const events = recordEvents(socket);
  return { received: () => deliveredActions(events), close: () => socket.disconnect() };
}

/** A Redis and the gateway on it, started before the tests of a block and stopped after them. */
function useGateway(env: Record<string, string> = {}): {
  readonly redis: RedisServer;
  readonly gateway: GatewayProcess;
} {
  let redis: RedisServer | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry,
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_JWT_SECRET: TEST_JWT_SECRET, ...env },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the gateway has not started');
    return value;
  };
  return {
    get redis() {
      return started(redis);
    },
    get gateway() {
      return started(gateway);
    },
  };
}

/** The entry id of each envelope in `stream`, by envelope id. */
async function streamOffsets(redis: RedisServer, stream: string): Promise<Map<string, string>> {
  const client = redis.client();
  try {
    const entries = await client.xrange(stream, '-', '+');
    return new Map(
      entries.map(([offset, fields]) => {
        expect(fields[0]).toBe('envelope');
        return [JSON.parse(fields[1] ?? '{}').id as string, offset];
      }),
    );
  } finally {
    client.disconnect();
  }
}

/** Waits until `client` has received every id, then checks each event's name, data and meta. */
async function expectDelivered(
  client: Client,
  ids: readonly string[],
  cases: readonly PublishCase[],
  site: string,
): Promise<void> {
  await waitUntil(() => ids.every((id) => client.received().some((r) => r.meta.id === id)), {
    description: `${ids.length} messages at the client`,
  });
  ids.forEach((id, i) => {
    const got = client.received().find((r) => r.meta.id === id);
    const c = cases[i];
    expect(got?.event).toBe(c?.action);
    expect(got?.data).toEqual(c?.data);
    expect(got?.meta.site).toBe(site);
    expect(Number.isInteger(got?.meta.ts)).toBe(true);
  });
}

describe('end to end: PHP publishes, a socket.io client with a PHP-signed token receives', () => {
  const publishKey = randomBytes(24).toString('hex');
  const stack = useGateway({ POSTBODE_PUBLISH_KEY: publishKey });

  const transports = ['phpredis', 'predis', 'http'] as const;
  it.each(transports)(
    'delivers every action published through %s, with the exact data, from the stream',
    async (transport) => {
      const token = await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 42, site: 'nl', roles: ['member'] },
      });
      const client = await connectClient(stack.gateway.url, token);
      try {
        const target = {
          transport,
          redisPort: stack.redis.port,
          gatewayUrl: stack.gateway.url,
          publishKey,
        };
        // First a message for the same user on another site: it must never arrive.
        const [otherSite] = await publishIds({
          ...target,
          site: 'be',
          cases: deliveries.slice(0, 1),
        });
        const ids = await publishIds({ ...target, site: 'nl', cases: deliveries });
        expect(ids).toHaveLength(deliveries.length);
        await expectDelivered(client, ids, deliveries, 'nl');
        // Published before the others on the same ordered path, so it would have arrived by now.
        expect(client.received().map((r) => r.meta.id)).not.toContain(otherSite);
        expect(client.received()).toHaveLength(deliveries.length);
        // Durable: each is an entry of the stream, and arrives with its entry id as meta.offset.
        const offsets = await streamOffsets(stack.redis, STREAM_LAYOUT.defaultStream);
        for (const { meta } of client.received()) {
          expect(meta.offset, meta.id).toBe(offsets.get(meta.id));
          expect(meta.offset).toMatch(/^\d+-\d+$/);
        }
      } finally {
        client.close();
      }
    },
  );

  it('delivers by role and to everyone on the site', async () => {
    const member = await connectClient(
      stack.gateway.url,
      await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 'u-1', site: 'nl', roles: ['moderator'] },
      }),
    );
    const other = await connectClient(
      stack.gateway.url,
      await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 'u-2', site: 'nl' },
      }),
    );
    try {
      const announcement = {
        method: 'systemAnnouncement',
        args: { text: 'Maintenance at 23:00', level: 'warning' },
      };
      const [toRole, toAll] = await publishIds({
        transport: 'phpredis',
        redisPort: stack.redis.port,
        site: 'nl',
        cases: [
          { ...announcement, to: { roles: ['moderator'] } },
          { ...announcement, to: { all: true } },
        ],
      });
      await waitUntil(() => other.received().some((r) => r.meta.id === toAll), {
        description: 'the announcement for all',
      });
      await waitUntil(() => member.received().length === 2, {
        description: 'both announcements at the moderator',
      });
      expect(member.received().map((r) => r.meta.id)).toEqual([toRole, toAll]);
      expect(other.received().map((r) => r.meta.id)).toEqual([toAll]);
      expect(other.received()[0]?.data).toEqual(announcement.args);
    } finally {
      member.close();
      other.close();
    }
  });

  describe('HttpTransport failures carry the HTTP status, the error code and the message', () => {
    it('401 UNAUTHORIZED for a wrong publish key', async () => {
      const error = await publishError({
        transport: 'http',
        gatewayUrl: stack.gateway.url,
        publishKey: 'wrong-key',
        cases: deliveries.slice(0, 1),
      });
      expect(error).toMatchObject({
        class: 'Postbode\\PublishFailed',
        httpStatus: 401,
        errorCode: 'UNAUTHORIZED',
      });
      expect(error.message).toContain(
        `POST ${stack.gateway.url}/publish answered 401 UNAUTHORIZED: `,
      );
      expect(error.message).not.toContain('wrong-key');
    });

    it('400 INVALID_PAYLOAD with the gateway message for an envelope the gateway rejects', async () => {
      // The Publisher never sends this (it checks first): hand the transport raw JSON.
      const envelope = { action: 'message.created', data: { body: 5 }, to: { users: ['1'] } };
      const error = await publishError({
        transport: 'http',
        gatewayUrl: stack.gateway.url,
        publishKey,
        raw: [JSON.stringify(envelope)],
      });
      expect(error).toMatchObject({ httpStatus: 400, errorCode: 'INVALID_PAYLOAD' });
      expect(error.message).toMatch(/answered 400 INVALID_PAYLOAD: \/data\//);
    });

    it('413 TOO_LARGE for a body over 64 KiB', async () => {
      const error = await publishError({
        transport: 'http',
        gatewayUrl: stack.gateway.url,
        publishKey,
        raw: [JSON.stringify({ action: 'x', data: 'y'.repeat(70 * 1024), to: { all: true } })],
      });
      expect(error).toMatchObject({ httpStatus: 413, errorCode: 'TOO_LARGE' });
    });
  });
});

describe('end to end: the example of php/README.md, as a PHP developer copies it', () => {
  const stack = useGateway();

  it('signs a token the gateway accepts and delivers the message and the read receipt', async () => {
    const { runReadmeExample } = await import('./support/readme-example.js');
    // A first run gives the page's token for user 42; its messages reach nobody yet.
    const first = await runReadmeExample(stack.redis.port);
    const recipient = await connectClient(stack.gateway.url, first.token);
    const sender = await connectClient(
      stack.gateway.url,
      await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 7, site: 'nl' },
      }),
    );
    try {
      await runReadmeExample(stack.redis.port);
      await waitUntil(() => recipient.received().length > 0 && sender.received().length > 0, {
        description: 'the message at user 42 and the read receipt at user 7',
      });
      expect(recipient.received()[0]).toMatchObject({
        event: 'message.created',
        data: { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi' },
        meta: { site: 'nl' },
      });
      expect(sender.received()[0]).toMatchObject({
        event: 'message.read',
        data: { conversationId: 'c-9', readerId: '42', lastReadMessageId: 'm-1' },
        meta: { site: 'nl' },
      });
    } finally {
      recipient.close();
      sender.close();
    }
  });
});

describe('end to end: RS256 and ES256 tokens from TokenIssuer, another stream, HTTP disabled', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(['rs256', 'es256'] as const)(
    'a gateway with the %s public key accepts the token',
    async (algorithm) => {
      const { generateKeyPairSync } = await import('node:crypto');
      const pair =
        algorithm === 'rs256'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const stream = `postbode-${algorithm}:stream`;
      const gateway = await startGatewayProcess({
        entry,
        env: {
          POSTBODE_REDIS_URL: redis.url,
          POSTBODE_STREAM: stream,
          POSTBODE_JWT_PUBLIC_KEY: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string,
          POSTBODE_JWT_ALGORITHMS: algorithm.toUpperCase(),
          // A public key needs an audience (or issuer) check (issue 16).
          POSTBODE_JWT_AUDIENCE: 'postbode',
        },
      });
      let client: Client | undefined;
      try {
        const token = await phpToken({
          algorithm,
          key: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
          issue: { userId: 'u-9', roles: ['member'], extraClaims: { aud: 'postbode' } },
        });
        client = await connectClient(gateway.url, token);
        const cases = deliveries.slice(0, 1).map((c) => ({ ...c, to: { users: ['u-9'] } }));
        const ids = await publishIds({
          transport: 'predis',
          redisPort: redis.port,
          stream,
          cases,
        });
        await expectDelivered(client, ids, cases, 'default');

        // This gateway has no POSTBODE_PUBLISH_KEY: POST /publish is not there.
        const error = await publishError({
          transport: 'http',
          gatewayUrl: gateway.url,
          publishKey: 'any',
          cases,
        });
        expect(error).toMatchObject({ class: 'Postbode\\PublishFailed', httpStatus: 404 });
      } finally {
        client?.close();
        await gateway.stop();
      }
    },
  );
});

describe('end to end: delivery guarantees (contract 6), the PHP side', () => {
  /** Three messages for user 42, each a different conversation. */
  const three = [1, 2, 3].map((n) => ({
    method: 'conversationUnread',
    to: { users: ['42'] },
    args: { conversationId: `c-${n}`, unread: n, totalUnread: n },
  }));
  const token = () =>
    phpToken({ algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: 42, site: 'nl' } });

  describe('with a gateway running', () => {
    const stack = useGateway();

    it.each(['phpredis', 'predis'] as const)(
      'the page-render race through %s: cursor() first, 3 messages while nobody is connected, then the socket gets all 3 replayed',
      async (transport) => {
        // The page: the cursor before its query; then the backend publishes, nobody connected.
        const page = await published({
          transport,
          redisPort: stack.redis.port,
          site: 'nl',
          cursor: true,
          cases: three,
        });
        const cursor = JSON.parse(page.cursor as string);
        const offsets = await streamOffsets(stack.redis, STREAM_LAYOUT.defaultStream);
        const expected = page.ids.map((id) => offsets.get(id));

        // The browser connects with the cursor the page embedded.
        const socket = connectResuming(stack.gateway.url, { token: await token(), cursor });
        try {
          const { before, sync } = await socket.firstSync();
          const lost = page.ids.filter((id) => !before.some((r) => r.meta.id === id));
          expect(`lost: ${lost.length} of ${page.ids.length}`).toBe('lost: 0 of 3');
          expect(before.map((r) => r.meta.id)).toEqual(page.ids);
          expect(before.map((r) => r.meta.offset)).toEqual(expected);
          expect(before.map((r) => r.data)).toEqual(three.map((c) => c.args));
          expect(sync).toEqual({
            epoch: cursor.epoch,
            offset: expected[2],
            recovered: true,
            replayed: 3,
          });
        } finally {
          socket.close();
        }
      },
    );

    it.each(['phpredis-pubsub', 'predis-pubsub'] as const)(
      'the legacy PUBLISH through %s still delivers live, with no offset',
      async (transport) => {
        const socket = connectResuming(stack.gateway.url, { token: await token() });
        try {
          await socket.firstSync();
          const [id] = await publishIds({
            transport,
            redisPort: stack.redis.port,
            site: 'nl',
            cases: three.slice(0, 1),
          });
          const got = await waitUntil(() => socket.received().find((r) => r.meta.id === id), {
            description: 'the live-only message',
          });
          expect(got.data).toEqual(three[0]?.args);
          expect(got.meta.offset).toBeUndefined();
        } finally {
          socket.close();
        }
      },
    );
  });

  it('cursor() before any gateway ran: PHP starts the epoch, the gateway started afterwards keeps it', async () => {
    const redis = await startRedis();
    let gateway: GatewayProcess | undefined;
    try {
      // A fresh Redis: no stream, no epoch. The page reads its cursor; then two messages.
      const page = await published({
        transport: 'phpredis',
        redisPort: redis.port,
        site: 'nl',
        cursor: true,
        cases: three.slice(0, 2),
      });
      const cursor = JSON.parse(page.cursor as string);
      expect(cursor.offset).toBe('0-0');

      gateway = await startGatewayProcess({
        entry,
        env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_JWT_SECRET: TEST_JWT_SECRET },
      });
      const socket = connectResuming(gateway.url, { token: await token(), cursor });
      try {
        const { before, sync } = await socket.firstSync();
        expect(before.map((r) => r.meta.id)).toEqual(page.ids);
        expect(sync).toMatchObject({ epoch: cursor.epoch, recovered: true, replayed: 2 });
      } finally {
        socket.close();
      }
      // And the cursor PHP reads now is of the same epoch, at the gateway's end of the stream.
      const later = await published({ transport: 'predis', redisPort: redis.port, cursor: true });
      const offsets = await streamOffsets(redis, STREAM_LAYOUT.defaultStream);
      expect(JSON.parse(later.cursor as string)).toEqual({
        epoch: cursor.epoch,
        offset: offsets.get(page.ids[1] as string),
      });
    } finally {
      await gateway?.stop();
      await redis.stop();
    }
  });
});
