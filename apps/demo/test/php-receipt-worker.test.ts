import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RedisServer, startRedis } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The PHP demo's worker (apps/demo/php/receipt-handler.php, a BatchEventHandler) under the
// generated consumer's worker script, against a real redis-server: a batch of receipts is
// recorded and published back in pipelines, acknowledged with one XACK, each event id once.
const fromDemo = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));
const WORKER = fromDemo('../../packages/php-publisher/php/bin/postbode-events-worker.php');
const AUTOLOAD = fromDemo('../../packages/php-publisher/php/autoload.php');
const HANDLER = fromDemo('php/receipt-handler.php');
const CHAT_STORE = fromDemo('php/ChatStore.php');
const STREAM = 'postbode:events';
const USERS = [
  { id: '1', name: 'Anna', site: 'nl' },
  { id: '2', name: 'Bram', site: 'nl' },
  { id: '3', name: 'Cas', site: 'nl' },
  { id: '4', name: 'Dirk', site: 'nl' },
  { id: '5', name: 'Eva', site: 'be' },
];
const MESSAGES = 5;

let server: RedisServer;
let redis: Redis;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
  env = {
    PATH: process.env.PATH ?? '',
    DEMO_REDIS_HOST: server.host,
    DEMO_REDIS_PORT: String(server.port),
    DEMO_PUBLISHER_AUTOLOAD: AUTOLOAD,
    DEMO_USERS_JSON: JSON.stringify(USERS),
  };
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
});

/** Anna sends Bram, and Cas sends Dirk, MESSAGES messages each; returns their ids. */
async function seed(): Promise<{ ab: string[]; cd: string[] }> {
  const script = `require getenv('DEMO_PUBLISHER_AUTOLOAD'); require '${CHAT_STORE}';
    $r = new Redis(); $r->connect(getenv('DEMO_REDIS_HOST'), (int) getenv('DEMO_REDIS_PORT'));
    $s = new ChatStore($r, json_decode(getenv('DEMO_USERS_JSON'), true));
    $out = [];
    foreach ([['1', '2', 'ab'], ['3', '4', 'cd']] as [$from, $to, $key]) {
      for ($i = 0; $i < ${MESSAGES}; $i++) {
        $out[$key][] = $s->send($s->user($from), $s->user($to), ChatStore::conversationId($from, $to), "m$i")['messageId'];
      }
    }
    echo json_encode($out);`;
  const { stdout } = await promisify(execFile)('php', ['-r', script], { env });
  return JSON.parse(stdout) as { ab: string[]; cd: string[] };
}

const append = (action: string, id: string, user: string, data: unknown, site = 'nl') =>
  redis.xadd(
    STREAM,
    '*',
    ...['action', action, 'site', site, 'user', user, 'id', id, 'ts', '1700000000000'],
    ...['node', 'node-a', 'data', JSON.stringify(data)],
  );

const drain = () =>
  promisify(execFile)(
    'php',
    [WORKER, `--handler=${HANDLER}`, `--redis=${server.url}`, '--drain', '--batch=100'],
    { env },
  );

async function published(): Promise<Array<{ action: string; data: Record<string, unknown> }>> {
  const entries = (await redis.xrange('postbode:stream', '-', '+')) as Array<[string, string[]]>;
  return entries.map(([, fields]) => JSON.parse(fields[1] as string));
}

const statuses = async (conversation: string, ids: string[]) =>
  (await redis.hmget(`demo:status:${conversation}`, ...ids)).map(Number);

async function xackCalls(): Promise<number> {
  const info = await redis.info('commandstats');
  return Number(/^cmdstat_xack:calls=(\d+)/m.exec(info)?.[1] ?? 0);
}

describe('the PHP demo worker (BatchEventHandler)', () => {
  it('records and publishes a batch of receipts, acknowledges it with one XACK, each event id once', async () => {
    const { ab, cd } = await seed();
    // Bram: one delivered receipt per message (one sent twice with the same id), then read up to
    // the 4th. Dirk: one receipt for all. Eva (another site) and an unknown message: ignored.
    for (const [i, messageId] of ab.entries()) {
      await append('message.delivered', `d-${i}`, '2', {
        conversationId: 'c-1-2',
        messageIds: [messageId],
      });
    }
    await append('message.delivered', 'd-0', '2', { conversationId: 'c-1-2', messageIds: [ab[0]] });
    await append('message.read', 'r-1', '2', { conversationId: 'c-1-2', lastReadMessageId: ab[3] });
    await append('message.delivered', 'd-all', '4', { conversationId: 'c-3-4', messageIds: cd });
    await append('message.read', 'r-x', '4', {
      conversationId: 'c-3-4',
      lastReadMessageId: 'nope',
    });
    await append(
      'message.delivered',
      'd-be',
      '5',
      { conversationId: 'c-1-2', messageIds: ab },
      'be',
    );
    await redis.config('RESETSTAT');
    await drain();

    expect(await statuses('c-1-2', ab)).toEqual([2, 2, 2, 2, 1]);
    expect(await statuses('c-3-4', cd)).toEqual([1, 1, 1, 1, 1]);
    expect(await redis.hget('demo:unread:2', 'c-1-2')).toBe('0');
    const sent = await published();
    const delivered = sent.filter((e) => e.action === 'message.delivered');
    // One per receipt that changed something: Bram's 5 (not the repeat) and Dirk's 1.
    expect(delivered.map((e) => e.data.messageIds)).toEqual([...ab.map((id) => [id]), cd]);
    expect(sent.filter((e) => e.action === 'message.read').map((e) => e.data)).toMatchObject([
      { conversationId: 'c-1-2', readerId: '2', lastReadMessageId: ab[3] },
    ]);
    expect(sent.filter((e) => e.action === 'conversation.unread').map((e) => e.data)).toMatchObject(
      [{ conversationId: 'c-1-2', unread: 0, totalUnread: 0 }],
    );
    const recorded = (await statuses('c-1-2', ab)).filter((s) => s >= 1).length;
    expect(`lost: ${MESSAGES - recorded} of ${MESSAGES}`).toBe(`lost: 0 of ${MESSAGES}`);
    expect(await xackCalls()).toBe(1);
    expect(((await redis.xpending(STREAM, 'postbode-workers')) as unknown[])[0]).toBe(0);

    // The same events again (a redelivery): nothing changes, nothing is published twice.
    await append('message.delivered', 'd-all', '4', { conversationId: 'c-3-4', messageIds: cd });
    await append('message.read', 'r-1', '2', { conversationId: 'c-1-2', lastReadMessageId: ab[4] });
    await drain();
    expect((await published()).length).toBe(sent.length);
    expect(await statuses('c-1-2', ab)).toEqual([2, 2, 2, 2, 1]);
  });
});
