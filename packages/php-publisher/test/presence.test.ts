import { fileURLToPath } from 'node:url';
import {
  connectWithSync,
  type GatewayProcess,
  type RedisServer,
  type SyncedSocket,
  signTestToken,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPhpJson } from './support/php.js';

// Contract 7 from PHP: Postbode\Presence reads what the built gateway wrote, through phpredis
// and Predis against a real redis-server, with the gateway's grace set to 1 s.

const entry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));
const clients = ['phpredis', 'predis'] as const;
let redis: RedisServer;
let admin: ReturnType<RedisServer['client']>;
let gateway: GatewayProcess;
type Socket = SyncedSocket['socket'];
const sockets: Socket[] = [];

type Pairs = Array<[string | number, unknown]>;
interface Output {
  results?: unknown[];
  error?: { class: string; message: string };
}
const php = (client: string, site: string, calls: Array<{ method: string; args: unknown[] }>) =>
  runPhpJson<Output>('presence.php', { client, redisPort: redis.port, site, calls });

async function connect(sub: string, site: string): Promise<Socket> {
  const { socket } = await connectWithSync(gateway.url, {
    token: await signTestToken({ sub, site }),
  });
  sockets.push(socket);
  return socket;
}
const isOnline = (site: string) => (user: string) =>
  admin
    .zscore(`postbode:presence:${site}:online`, user)
    .then((score: string | null) => score !== null);

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  gateway = await startGatewayProcess({
    entry,
    env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_PRESENCE_GRACE: '1' },
  });
  // nl: 7 and 42 online, 13 went offline; be: 42 online.
  await connect('7', 'nl');
  await connect('42', 'nl');
  await connect('42', 'be');
  const gone = await connect('13', 'nl');
  await waitUntil(() => isOnline('nl')('13'), { description: '13 online' });
  gone.disconnect();
  await waitUntil(async () => !(await isOnline('nl')('13')), {
    timeoutMs: 20_000,
    description: '13 offline after the grace',
  });
  await waitUntil(async () => (await admin.zcard('postbode:presence:be:online')) === 1, {
    description: 'be/42 online',
  });
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await gateway?.stop();
  admin?.disconnect();
  await redis?.stop();
});

/** How many times Redis ran `command` since the last reset. */
async function calls(command: string): Promise<number> {
  const info = await admin.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return Number(match?.[1] ?? 0);
}

describe.each(clients)('Postbode\\Presence with %s', (client) => {
  it.each([1, 100, 10_000])(
    'isOnline for %i ids: id => bool in the order given, one ZMSCORE',
    async (count) => {
      const ids = Array.from({ length: count }, (_, i) => `u${count - i}`);
      // The online users at the ends and in the middle, one as an int.
      ids[0] = '7';
      if (count > 1) ids[count - 1] = '42';
      if (count > 2) ids[Math.floor(count / 2)] = '13';
      const input: unknown[] = ids.map((id) => (id === '7' ? 7 : id));
      await admin.config('RESETSTAT');
      const output = await php(client, 'nl', [{ method: 'isOnline', args: [input] }]);
      expect(output.error).toBeUndefined();
      expect(await calls('zmscore')).toBe(1);
      const pairs = output.results?.[0] as Pairs;
      expect(pairs.map(([id]) => String(id))).toEqual(ids);
      const online = pairs.filter(([, value]) => value === true).map(([id]) => String(id));
      expect(online).toEqual(count > 1 ? ['7', '42'] : ['7']);
      expect(pairs.filter(([, value]) => value === false)).toHaveLength(count - online.length);
    },
  );

  it('onlineUsers, countOnline and lastSeen; sites never see each other', async () => {
    const before = Date.now();
    const nl = await php(client, 'nl', [
      { method: 'onlineUsers', args: [] },
      { method: 'onlineUsers', args: [1] },
      { method: 'countOnline', args: [] },
      { method: 'lastSeen', args: [['7', '13', 'never']] },
    ]);
    expect(nl.error).toBeUndefined();
    const [all, one, count, seen] = nl.results as [Pairs, Pairs, number, Pairs];
    expect(all.map(([, id]) => id).sort()).toEqual(['42', '7']);
    expect(one).toHaveLength(1);
    expect(count).toBe(2);
    const lastSeen13 = Number(await admin.hget('postbode:presence:nl:last-seen', '13'));
    expect(lastSeen13).toBeGreaterThan(0);
    expect(seen[0]?.[0]).toBe(7);
    expect(seen[0]?.[1]).toBeGreaterThanOrEqual(before);
    expect(seen.slice(1)).toEqual([
      [13, lastSeen13],
      ['never', null],
    ]);

    const be = await php(client, 'be', [
      { method: 'isOnline', args: [['7', '13', '42']] },
      { method: 'onlineUsers', args: [] },
      { method: 'countOnline', args: [] },
      { method: 'lastSeen', args: [['13']] },
    ]);
    expect(be.results).toEqual([
      [
        [7, false],
        [13, false],
        [42, true],
      ],
      [[0, '42']],
      1,
      [[13, null]],
    ]);
    const empty = await php(client, 'other', [
      { method: 'countOnline', args: [] },
      { method: 'isOnline', args: [[]] },
    ]);
    expect(empty.results).toEqual([0, []]);
  });

  it('refuses a malformed site or id with a clear error', async () => {
    expect((await php(client, 'n l', [])).error?.message).toContain('$site');
    const bad = await php(client, 'nl', [{ method: 'isOnline', args: [['7', '']] }]);
    expect(bad.error?.message).toContain('$userIds[1]');
  });
});
