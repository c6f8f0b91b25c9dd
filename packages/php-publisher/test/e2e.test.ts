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
import { buildModel } from '../src/build-model.js';
import { type DeliveredAction, deliveredActions } from './support/delivered-actions.js';
import { casesFor, type PublishCase } from './support/payload-cases.js';
import { publishError, publishIds } from './support/publish.js';
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
  let redis: RedisServer;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry,
      env: {
        POSTBODE_REDIS_URL: redis.url,
        POSTBODE_JWT_SECRET: TEST_JWT_SECRET,
        POSTBODE_PUBLISH_KEY: publishKey,
      },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
  });

  const transports = ['phpredis', 'predis', 'http'] as const;
  it.each(transports)(
    'delivers every action published through %s, with the exact data',
    async (transport) => {
      const token = await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 42, site: 'nl', roles: ['member'] },
      });
      const client = await connectClient(gateway.url, token);
      try {
        const target = { transport, redisPort: redis.port, gatewayUrl: gateway.url, publishKey };
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
      } finally {
        client.close();
      }
    },
  );

  it('delivers by role and to everyone on the site', async () => {
    const member = await connectClient(
      gateway.url,
      await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 'u-1', site: 'nl', roles: ['moderator'] },
      }),
    );
    const other = await connectClient(
      gateway.url,
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
        redisPort: redis.port,
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
        gatewayUrl: gateway.url,
        publishKey: 'wrong-key',
        cases: deliveries.slice(0, 1),
      });
      expect(error).toMatchObject({
        class: 'Postbode\\PublishFailed',
        httpStatus: 401,
        errorCode: 'UNAUTHORIZED',
      });
      expect(error.message).toContain(`POST ${gateway.url}/publish answered 401 UNAUTHORIZED: `);
      expect(error.message).not.toContain('wrong-key');
    });

    it('400 INVALID_PAYLOAD with the gateway message for an envelope the gateway rejects', async () => {
      // The Publisher never sends this (it checks first): hand the transport raw JSON.
      const envelope = { action: 'message.created', data: { body: 5 }, to: { users: ['1'] } };
      const error = await publishError({
        transport: 'http',
        gatewayUrl: gateway.url,
        publishKey,
        raw: [JSON.stringify(envelope)],
      });
      expect(error).toMatchObject({ httpStatus: 400, errorCode: 'INVALID_PAYLOAD' });
      expect(error.message).toMatch(/answered 400 INVALID_PAYLOAD: \/data\//);
    });

    it('413 TOO_LARGE for a body over 64 KiB', async () => {
      const error = await publishError({
        transport: 'http',
        gatewayUrl: gateway.url,
        publishKey,
        raw: [JSON.stringify({ action: 'x', data: 'y'.repeat(70 * 1024), to: { all: true } })],
      });
      expect(error).toMatchObject({ httpStatus: 413, errorCode: 'TOO_LARGE' });
    });
  });
});

describe('end to end: the example of php/README.md, as a PHP developer copies it', () => {
  let redis: RedisServer;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry,
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_JWT_SECRET: TEST_JWT_SECRET },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
  });

  it('signs a token the gateway accepts and delivers the message and the read receipt', async () => {
    const { runReadmeExample } = await import('./support/readme-example.js');
    // A first run gives the page's token for user 42; its messages reach nobody yet.
    const first = await runReadmeExample(redis.port);
    const recipient = await connectClient(gateway.url, first.token);
    const sender = await connectClient(
      gateway.url,
      await phpToken({
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 7, site: 'nl' },
      }),
    );
    try {
      await runReadmeExample(redis.port);
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

describe('end to end: RS256 and ES256 tokens from TokenIssuer, another channel, HTTP disabled', () => {
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
      const channel = `postbode-${algorithm}`;
      const gateway = await startGatewayProcess({
        entry,
        env: {
          POSTBODE_REDIS_URL: redis.url,
          POSTBODE_CHANNEL: channel,
          POSTBODE_JWT_PUBLIC_KEY: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string,
          POSTBODE_JWT_ALGORITHMS: algorithm.toUpperCase(),
        },
      });
      let client: Client | undefined;
      try {
        const token = await phpToken({
          algorithm,
          key: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
          issue: { userId: 'u-9', roles: ['member'] },
        });
        client = await connectClient(gateway.url, token);
        const cases = deliveries.slice(0, 1).map((c) => ({ ...c, to: { users: ['u-9'] } }));
        const ids = await publishIds({
          transport: 'predis',
          redisPort: redis.port,
          channel,
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
