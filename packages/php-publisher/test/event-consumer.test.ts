import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { backendEventFields } from '@postbode/protocol';
import {
  type RedisServer,
  signalProcessGroup,
  spawnProcessGroup,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The generated Postbode\EventConsumer and its worker script (contract 8), run by real `php`
// against a real redis-server: at least once across a SIGKILL, dead-letter after N failures,
// typed handlers per action, a clean stop on SIGTERM, with phpredis and with Predis.

const worker = fileURLToPath(new URL('../php/bin/postbode-events-worker.php', import.meta.url));
const handlerFile = fileURLToPath(new URL('./php/event-handler.php', import.meta.url));

interface Handled {
  method: string;
  id: string;
  action: string;
  site: string;
  user: string;
  data: Record<string, unknown>;
  deliveries: number;
}

let redis: RedisServer;
let client: ReturnType<RedisServer['client']>;
let dir: string;
let streams = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  dir = await mkdtemp(join(tmpdir(), 'postbode-consumer-'));
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

function fresh(): { stream: string; file: string } {
  streams += 1;
  return { stream: `events:${streams}`, file: join(dir, `handled-${streams}.jsonl`) };
}

async function handled(file: string): Promise<Handled[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Handled);
}

async function append(stream: string, count: number, action = 'message.read', prefix = 'e') {
  const pipeline = client.pipeline();
  for (let i = 0; i < count; i += 1) {
    const data =
      action === 'message.read'
        ? { conversationId: 'c-1', lastReadMessageId: `m-${i}` }
        : { conversationId: 'c-1', messageIds: [`m-${i}`] };
    pipeline.xadd(
      stream,
      '*',
      ...backendEventFields({
        action,
        site: 'nl',
        user: '42',
        id: `${prefix}-${i}`,
        ts: 1_764_000_000_000 + i,
        node: 'n1',
        data,
      }),
    );
  }
  await pipeline.exec();
}

function args(stream: string, extra: string[]): string[] {
  return [
    worker,
    `--handler=${handlerFile}`,
    `--redis=${redis.url}`,
    `--stream=${stream}`,
    ...extra,
  ];
}

function runWorker(
  stream: string,
  file: string,
  extra: string[],
  env: Record<string, string> = {},
) {
  return promisify(execFile)('php', args(stream, extra), {
    env: { ...process.env, POSTBODE_HANDLED_FILE: file, ...env },
  });
}

function startWorker(
  stream: string,
  file: string,
  extra: string[],
  env: Record<string, string> = {},
) {
  const child = spawnProcessGroup('php', args(stream, extra), {
    env: { ...process.env, POSTBODE_HANDLED_FILE: file, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

const pendingCount = async (stream: string) =>
  Number(((await client.xpending(stream, 'postbode-workers')) as unknown[])[0]);

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('EventConsumer (contract 8)', () => {
  it.each(['phpredis', 'predis'])(
    'a worker SIGKILLed mid-batch: its pending entries go to another worker, none lost (%s)',
    async (survivor) => {
      const { stream, file } = fresh();
      const total = 60;
      await append(stream, total);
      const a = startWorker(stream, file, ['--batch=60', '--block-ms=200', '--consumer=a'], {
        POSTBODE_HANDLER_SLOW_MS: '40',
      });
      await waitUntil(async () => (await handled(file)).length >= 5, { timeoutMs: 30_000 });
      signalProcessGroup(a.child, 'SIGKILL');
      await exited(a.child);
      const byA = new Set((await handled(file)).map((h) => h.id));
      expect(byA.size).toBeLessThan(total); // killed mid-batch
      expect(await pendingCount(stream)).toBeGreaterThan(0);

      // Worker b claims what a left pending once it has been idle 300 ms.
      await waitUntil(
        async () => {
          await runWorker(stream, file, [
            '--drain',
            '--consumer=b',
            '--min-idle-ms=300',
            `--client=${survivor}`,
          ]);
          return (await pendingCount(stream)) === 0;
        },
        { timeoutMs: 60_000 },
      );
      const all = await handled(file);
      const ids = new Set(all.map((h) => h.id));
      const lost = total - ids.size;
      const claimed = all.filter((h) => h.deliveries > 1);
      const duplicates = all.length - ids.size;
      expect(`lost: ${lost} of ${total}`).toBe(`lost: 0 of ${total}`);
      // Handled by a before the kill, then taken over by b; an entry a was inside is handled twice.
      expect(byA.size + claimed.length + duplicates).toBeGreaterThanOrEqual(total);
      expect(lost).toBe(0);
      expect(claimed.length).toBeGreaterThan(0);
      expect(
        all.every((h) => h.method === 'messageRead' && h.site === 'nl' && h.user === '42'),
      ).toBe(true);
    },
    120_000,
  );

  it('moves an entry to the dead-letter stream after N failed deliveries; the others are handled once', async () => {
    const { stream, file } = fresh();
    await append(stream, 3, 'message.delivered', 'good');
    await client.xadd(
      stream,
      '*',
      ...backendEventFields({
        action: 'message.read',
        site: 'nl',
        user: '42',
        id: 'poison-1',
        ts: 1,
        node: 'n1',
        data: { conversationId: 'poison', lastReadMessageId: 'm' },
      }),
    );
    await waitUntil(
      async () => {
        await runWorker(stream, file, ['--drain', '--min-idle-ms=0', '--max-deliveries=3']);
        return (await client.xlen(`${stream}:dead`)) === 1;
      },
      { timeoutMs: 60_000 },
    );
    const all = await handled(file);
    expect(all.filter((h) => h.id === 'poison-1').map((h) => h.deliveries)).toEqual([1, 2, 3]);
    expect(all.filter((h) => h.id.startsWith('good-')).map((h) => h.method)).toEqual([
      'messageDelivered',
      'messageDelivered',
      'messageDelivered',
    ]);
    const [[, fields]] = (await client.xrange(`${stream}:dead`, '-', '+')) as [[string, string[]]];
    const dead = Object.fromEntries(
      fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : [])),
    );
    expect(dead).toMatchObject({ id: 'poison-1', action: 'message.read', deliveries: '3' });
    expect(dead.error).toContain('poison entry poison-1');
    expect(await pendingCount(stream)).toBe(0);
  }, 90_000);

  it('calls the typed method of each presence transition, and unknownAction for an action it does not know', async () => {
    const { stream, file } = fresh();
    for (const [action, data] of [
      ['presence.online', { reason: 'connected' }],
      ['presence.offline', { reason: 'disconnected', lastSeenAt: 5 }],
      ['future.thing', { x: 1 }],
    ] as const) {
      await client.xadd(
        stream,
        '*',
        ...backendEventFields({
          action,
          site: 'nl',
          user: '7',
          id: action,
          ts: 1,
          node: 'n',
          data,
        }),
      );
    }
    await runWorker(stream, file, ['--once', '--client=predis']);
    expect((await handled(file)).map((h) => [h.method, h.id])).toEqual([
      ['presenceOnline', 'presence.online'],
      ['presenceOffline', 'presence.offline'],
      ['unknownAction', 'future.thing'],
    ]);
    expect(await pendingCount(stream)).toBe(0);
  }, 60_000);

  it('stops cleanly on SIGTERM (ext-pcntl): exit 0, the entry in hand acknowledged', async () => {
    const { stream, file } = fresh();
    const w = startWorker(stream, file, ['--block-ms=200', '--consumer=t'], {
      POSTBODE_HANDLER_SLOW_MS: '100',
    });
    await append(stream, 30);
    await waitUntil(async () => (await handled(file)).length >= 2, { timeoutMs: 30_000 });
    signalProcessGroup(w.child, 'SIGTERM');
    expect(await exited(w.child)).toBe(0);
    expect(w.stderr()).toContain('event consumer stopped');
    // Every entry it handled was acknowledged: what stays pending it never started.
    const done = new Set((await handled(file)).map((h) => h.id));
    const pending = (await client.xpending(stream, 'postbode-workers', '-', '+', 100)) as Array<
      [string, string, number, number]
    >;
    const pendingIds = new Set<string>();
    for (const [entryId] of pending) {
      const [[, fields]] = (await client.xrange(stream, entryId, entryId)) as [[string, string[]]];
      pendingIds.add(fields[fields.indexOf('id') + 1] as string);
    }
    expect(done.size).toBeGreaterThanOrEqual(2);
    expect([...done].filter((id) => pendingIds.has(id))).toEqual([]);
    await stopProcessGroup(w.child);
  }, 60_000);
});
