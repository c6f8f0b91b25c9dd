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
const batchHandlerFile = fileURLToPath(new URL('./php/batch-event-handler.php', import.meta.url));

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
    ...(extra.some((a) => a.startsWith('--handler=')) ? [] : [`--handler=${handlerFile}`]),
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

/** The calls of one command since the last `CONFIG RESETSTAT` (INFO commandstats). */
async function commandCalls(name: string): Promise<number> {
  const info = await client.info('commandstats');
  const match = new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(info);
  return match ? Number(match[1]) : 0;
}

interface BatchLine {
  batch?: number;
  pid?: number;
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

  it('acknowledges a whole batch with one XACK (per-entry handler)', async () => {
    const { stream, file } = fresh();
    const total = 50;
    await append(stream, total);
    await client.config('RESETSTAT');
    await runWorker(stream, file, ['--once', '--batch=50']);
    const ids = new Set((await handled(file)).map((h) => h.id));
    expect(`lost: ${total - ids.size} of ${total}`).toBe(`lost: 0 of ${total}`);
    expect(await commandCalls('xack')).toBe(1);
    expect(await pendingCount(stream)).toBe(0);
  }, 60_000);
});

describe('BatchEventHandler (contract 8): a whole read in one call, one XACK per batch', () => {
  it.each(['phpredis', 'predis'])(
    'hands every entry of a read to handleBatch() at once, in stream order, and acknowledges each batch with one XACK (%s)',
    async (clientName) => {
      const { stream, file } = fresh();
      const total = 25;
      await append(stream, total, 'message.read', 'r');
      await client.config('RESETSTAT');
      await runWorker(stream, file, [
        '--drain',
        '--batch=10',
        `--client=${clientName}`,
        `--handler=${batchHandlerFile}`,
      ]);
      const lines = (await handled(file)) as unknown as Array<Handled & BatchLine>;
      expect(lines.filter((l) => l.batch !== undefined).map((l) => l.batch)).toEqual([10, 10, 5]);
      const entries = lines.filter((l) => l.batch === undefined);
      expect(entries.map((h) => h.id)).toEqual(Array.from({ length: total }, (_, i) => `r-${i}`));
      expect(entries.every((h) => h.method === 'handleBatch' && h.deliveries === 1)).toBe(true);
      const lost = total - new Set(entries.map((h) => h.id)).size;
      expect(`lost: ${lost} of ${total}`).toBe(`lost: 0 of ${total}`);
      expect(await commandCalls('xack')).toBe(3);
      expect(await pendingCount(stream)).toBe(0);
    },
    60_000,
  );

  it('an entry handleBatch() reports failed stays pending, is delivered again, then dead-lettered; a batch that throws is not acknowledged', async () => {
    const { stream, file } = fresh();
    await append(stream, 4, 'message.delivered', 'good');
    for (const [id, conversationId] of [
      ['poison-1', 'poison'],
      ['throw-1', 'throw'],
    ]) {
      await client.xadd(
        stream,
        '*',
        ...backendEventFields({
          action: 'message.read',
          site: 'nl',
          user: '42',
          id: id as string,
          ts: 1,
          node: 'n1',
          data: { conversationId: conversationId as string, lastReadMessageId: 'm' },
        }),
      );
    }
    // First read: the 4 good entries and the poison one (--batch=5): 4 acknowledged, 1 not.
    await runWorker(stream, file, [
      '--once',
      '--batch=5',
      '--min-idle-ms=0',
      '--max-deliveries=3',
      `--handler=${batchHandlerFile}`,
    ]);
    expect(await pendingCount(stream)).toBe(1);
    await waitUntil(
      async () => {
        await runWorker(stream, file, [
          '--drain',
          '--batch=5',
          '--min-idle-ms=0',
          '--max-deliveries=3',
          `--handler=${batchHandlerFile}`,
        ]);
        return (await client.xlen(`${stream}:dead`)) === 2;
      },
      { timeoutMs: 60_000 },
    );
    const entries = (await handled(file)).filter((h) => h.id !== undefined);
    expect(entries.filter((h) => h.id === 'poison-1').map((h) => h.deliveries)).toEqual([1, 2, 3]);
    expect(entries.filter((h) => h.id === 'throw-1').map((h) => h.deliveries)).toEqual([1, 2, 3]);
    const good = entries.filter((h) => h.id.startsWith('good-'));
    expect(good.map((h) => h.deliveries)).toEqual([1, 1, 1, 1]);
    const dead = (await client.xrange(`${stream}:dead`, '-', '+')) as Array<[string, string[]]>;
    const deadById = Object.fromEntries(
      dead.map(([, fields]) => [
        fields[fields.indexOf('id') + 1],
        {
          error: fields[fields.indexOf('error') + 1],
          deliveries: fields[fields.indexOf('deliveries') + 1],
        },
      ]),
    );
    expect(Object.keys(deadById).sort()).toEqual(['poison-1', 'throw-1']);
    expect(deadById['throw-1']).toMatchObject({ deliveries: '3' });
    expect(deadById['throw-1']?.error).toContain('this batch fails');
    // Its last delivery may share a batch with throw-1, which then fails as a whole.
    expect(deadById['poison-1']?.error).toMatch(/poison entry poison-1|this batch fails/);
    expect(await pendingCount(stream)).toBe(0);
  }, 90_000);

  it.each(['phpredis', 'predis'])(
    'a worker SIGKILLed after handleBatch() and before its XACK: the whole batch goes to another worker (XAUTOCLAIM), none lost (%s)',
    async (survivor) => {
      const { stream, file } = fresh();
      const total = 40;
      await append(stream, total, 'message.delivered', 'k');
      // a handles its batch, then sleeps 30 s before the consumer would acknowledge it.
      const a = startWorker(
        stream,
        file,
        ['--batch=40', '--block-ms=200', '--consumer=a', `--handler=${batchHandlerFile}`],
        { POSTBODE_HANDLER_SLOW_MS: '30000' },
      );
      await waitUntil(async () => (await handled(file)).length >= total + 1, {
        timeoutMs: 30_000,
      });
      signalProcessGroup(a.child, 'SIGKILL');
      await exited(a.child);
      // Read and handled, never acknowledged: all still pending with a.
      expect(await pendingCount(stream)).toBe(total);

      await waitUntil(
        async () => {
          await runWorker(stream, file, [
            '--drain',
            '--consumer=b',
            '--min-idle-ms=300',
            `--client=${survivor}`,
            `--handler=${batchHandlerFile}`,
          ]);
          return (await pendingCount(stream)) === 0;
        },
        { timeoutMs: 60_000 },
      );
      const entries = (await handled(file)).filter((h) => h.id !== undefined);
      const claimed = new Set(entries.filter((h) => h.deliveries > 1).map((h) => h.id));
      const ids = new Set(entries.map((h) => h.id));
      const lost = total - ids.size;
      expect(`lost: ${lost} of ${total}`).toBe(`lost: 0 of ${total}`);
      // Every entry of the killed worker's batch was redelivered to b.
      expect(`redelivered: ${claimed.size} of ${total}`).toBe(`redelivered: ${total} of ${total}`);
      expect(await client.xlen(`${stream}:dead`)).toBe(0);
    },
    120_000,
  );

  it('stops cleanly on SIGTERM: the batch in hand finishes and is acknowledged with one XACK, exit 0', async () => {
    const { stream, file } = fresh();
    const total = 20;
    const w = startWorker(
      stream,
      file,
      ['--batch=20', '--block-ms=200', '--consumer=t', `--handler=${batchHandlerFile}`],
      { POSTBODE_HANDLER_SLOW_MS: '1500' },
    );
    await waitUntil(async () => (await client.exists(stream)) === 1, { timeoutMs: 30_000 });
    await append(stream, total, 'message.read', 's');
    await waitUntil(async () => (await handled(file)).length >= 2, { timeoutMs: 30_000 });
    signalProcessGroup(w.child, 'SIGTERM');
    expect(await exited(w.child)).toBe(0);
    expect(w.stderr()).toContain('event consumer stopped');
    const entries = (await handled(file)).filter((h) => h.id !== undefined);
    const done = new Set(entries.map((h) => h.id));
    expect(done.size).toBeGreaterThanOrEqual(1);
    // Everything it handled was acknowledged; what stays pending it never read.
    const pending = (await client.xpending(stream, 'postbode-workers', '-', '+', 100)) as Array<
      [string, string, number, number]
    >;
    expect(pending.length).toBe(0);
    expect(entries.every((h) => h.deliveries === 1)).toBe(true);
    await stopProcessGroup(w.child);
  }, 60_000);
});
