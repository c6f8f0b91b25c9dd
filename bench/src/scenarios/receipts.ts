import { type ChildProcess, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  connectSocket,
  signTestToken,
  spawnProcessGroup,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import type { Redis } from 'ioredis';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { pinToCpu } from '../pin.js';
import { cpuSeconds } from '../proc-stat.js';
import { startPhpFpmStack } from '../targets/php-fpm-stack.js';
import { startLocalPostbodeNode } from '../targets/postbode.js';

/** Parameters of the receipt-cost scenario. */
export interface ReceiptParameters {
  /** Receipts sent on each path (a multiple of `perConversation`). */
  count: number;
  /** Messages per conversation (the history each receipt's handler reads). */
  perConversation: number;
  /** HTTP requests in flight at once (keep-alive connections to nginx). */
  httpConcurrency: number;
  /** php-fpm's static pool. */
  fpmWorkers: number;
  /** Entries the PHP consumer reads per batch (`--batch`). */
  batch: number;
}

const SCENARIO = '(j) receipt cost: HTTP to php-fpm vs socket + PHP consumer';

// The demo's PHP backend is the legacy application measured; the bench only seeds it.
const fromBench = (path: string): string =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url));
const DEMO_PHP = fromBench('../apps/demo/php/');
const PHP_PACKAGE = fromBench('../packages/php-publisher/php/');
const SEED = fromBench('php/seed-receipts.php');
const NOOP_SCRIPT = fromBench('php/noop.php');
const NOOP_HANDLER = fromBench('php/noop-handler.php');

/** Receipts a socket sends: half the burst of `message.delivered` (20), so none is limited. */
const RECEIPTS_PER_SOCKET = 10;
const EVENTS_STREAM = 'postbode:events';
const GROUP = 'postbode-workers';

interface Seeded {
  sessions: Record<string, string>;
  conversations: { id: string; reader: string; messageIds: string[] }[];
}

interface Receipt {
  conversationId: string;
  reader: string;
  messageId: string;
}

const cpuOf = (pids: number[]): number =>
  pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum;
    }
  }, 0);

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

/** The consumer group has read every entry (lag 0) and acknowledged it (nothing pending). */
async function groupDrained(redis: Redis): Promise<boolean> {
  const group = await groupInfo(redis);
  return group !== undefined && group.pending === 0 && group.lag === 0;
}

/** The consumer group's `pending` and `lag` (`XINFO GROUPS`); undefined before it exists. */
async function groupInfo(redis: Redis): Promise<{ pending: unknown; lag: unknown } | undefined> {
  const groups = (await redis.xinfo('GROUPS', EVENTS_STREAM)) as unknown[][];
  const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === GROUP);
  if (group === undefined) return undefined;
  return { pending: group[group.indexOf('pending') + 1], lag: group[group.indexOf('lag') + 1] };
}

/** Waits until the group has read and acknowledged everything; a timeout says where it stood. */
async function waitGroupDrained(
  redis: Redis,
  options: { timeoutMs: number; intervalMs?: number; description: string },
): Promise<void> {
  try {
    await waitUntil(() => groupDrained(redis), options);
  } catch (error) {
    const group = await groupInfo(redis).catch(() => undefined);
    const state =
      group === undefined
        ? 'no consumer group'
        : `pending ${String(group.pending)}, lag ${String(group.lag)}`;
    throw new Error(`${(error as Error).message} (${GROUP}: ${state})`);
  }
}

/** `calls=` of one command in `INFO commandstats`. */
async function commandCalls(redis: Redis, command: string): Promise<number> {
  const info = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

/** Commands Redis has run so far (inside scripts too), but the bench's own INFO and XINFO. */
async function commandsSoFar(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (name !== 'info' && !name?.startsWith('xinfo')) total += Number(calls);
  }
  return total;
}

/** Messages of the seeded conversations now delivered (or read). */
async function deliveredCount(redis: Redis, seeded: Seeded): Promise<number> {
  let delivered = 0;
  for (const conversation of seeded.conversations) {
    const statuses = await redis.hvals(`demo:status:${conversation.id}`);
    delivered += statuses.filter((status) => Number(status) >= 1).length;
  }
  return delivered;
}

/**
 * (j) Receipt cost (issue 13): the same `count` delivery receipts, each for one message, two
 * ways, against the demo's PHP backend (apps/demo/php) on a Redis of its own.
 *
 * - Legacy: `POST /api/conversations/<id>/delivered` to the backend's router.php under Debian's
 *   php-fpm (static pool of `fpmWorkers`) behind nginx, `httpConcurrency` keep-alive requests in
 *   flight. Per request PHP runs the script, loads the generated Publisher, connects to Redis,
 *   looks the bearer session up, reads the conversation, raises the status (Lua), publishes
 *   `message.delivered` to the peer and answers 204.
 * - New: `postbode:event` `message.delivered` over socket.io (one socket per 10 receipts, real
 *   socket.io-client) to a real gateway, which appends to the backend event stream; the
 *   generated EventConsumer (`bin/postbode-events-worker.php`, php-cli, `--batch`) hands them to
 *   the demo's receipt handler, which records and publishes the same update, then acknowledges.
 *
 * CPU from `/proc/<pid>/stat` (utime + stime) of every php-fpm process (master and workers) for
 * the first, of the worker process for the second, from the first request or event until the
 * last answer (HTTP) or until the consumer group has read and acknowledged everything (socket);
 * the gateway's CPU over the socket path, per client event. Both paths start from the same
 * freshly seeded data; a receipt that did not mark its message delivered counts as lost. Then
 * the floors, the same counts again: php-fpm running an empty script (answers 204) and the
 * consumer with a handler that does nothing, i.e. what each path costs PHP besides the
 * application's own work.
 */
export async function receipts(
  harness: Harness,
  parameters: ReceiptParameters,
): Promise<Measurement[]> {
  const { count, perConversation, httpConcurrency, fpmWorkers, batch } = parameters;
  if (count % perConversation !== 0 || perConversation % RECEIPTS_PER_SOCKET !== 0) {
    throw new Error(
      `receipts: count (${count}) must be a multiple of perConversation (${perConversation}), itself a multiple of ${RECEIPTS_PER_SOCKET}`,
    );
  }
  const m = measurer(SCENARIO, 'receipts');
  const perReceipt = (seconds: number): number => (seconds / count) * 1e6;
  const cpu = harness.context.serverCpu;
  const users = Array.from({ length: (count / perConversation) * 2 }, (_, i) => ({
    id: String(i + 1),
    name: `User ${i + 1}`,
    site: 'nl',
  }));
  // Its own Redis: the backend's data and the event stream's consumer group start empty.
  const redisServer = await startRedis();
  const redis = redisServer.client();
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  const context = { ...harness.context, redisUrl: redisServer.url };
  const env: Record<string, string> = {
    DEMO_REDIS_HOST: redisServer.host,
    DEMO_REDIS_PORT: String(redisServer.port),
    DEMO_GATEWAY_URL: 'http://127.0.0.1:1',
    DEMO_JWT_SECRET: context.jwtSecret,
    DEMO_WEB_ROOT: DEMO_PHP,
    DEMO_TOKEN_TTL: '3600',
    DEMO_PUBLISHER_AUTOLOAD: `${PHP_PACKAGE}autoload.php`,
    DEMO_CHAT_STORE: `${DEMO_PHP}ChatStore.php`,
    DEMO_USERS_JSON: JSON.stringify(users),
  };
  const seed = async (): Promise<{ seeded: Seeded; list: Receipt[] }> => {
    const keys = await redis.keys('demo:*');
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    const output = execFileSync('php', [SEED, String(perConversation)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    const seeded = JSON.parse(output.toString()) as Seeded;
    const list = seeded.conversations.flatMap((c) =>
      c.messageIds.map((messageId) => ({ conversationId: c.id, reader: c.reader, messageId })),
    );
    return { seeded, list };
  };
  /** `minIdleMs`: when it claims what a stopped worker left pending (the worker's default 60 s). */
  const startWorker = (handler: string, consumer: string, minIdleMs?: number): ChildProcess => {
    const child = spawnProcessGroup(
      'php',
      [
        `${PHP_PACKAGE}bin/postbode-events-worker.php`,
        `--handler=${handler}`,
        `--redis=${redisServer.url}`,
        `--batch=${batch}`,
        '--block-ms=1000',
        `--consumer=${consumer}`,
        ...(minIdleMs === undefined ? [] : [`--min-idle-ms=${minIdleMs}`]),
      ],
      { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (cpu !== undefined) pinToCpu(child.pid as number, cpu);
    return child;
  };

  const running: { stop(): Promise<void> }[] = [];
  let worker: ChildProcess | undefined;
  try {
    // Legacy: nginx + php-fpm running the demo's router.php (and the empty script).
    const stack = await startPhpFpmStack({
      script: `${DEMO_PHP}router.php`,
      locations: { '/noop': NOOP_SCRIPT },
      env,
      workers: fpmWorkers,
      ...(cpu === undefined ? {} : { cpu }),
    });
    running.push(stack);
    const { seeded, list } = await seed();
    /** Sends every receipt to `path(receipt)`; PHP and nginx CPU, wall time, failures. */
    const httpRound = async (path: (receipt: Receipt) => string) => {
      const php0 = cpuOf(stack.phpPids());
      const nginx0 = cpuOf(stack.nginxPids());
      const redis0 = cpuSeconds(redisPid);
      const commands0 = await commandsSoFar(redis);
      const t0 = performance.now();
      let failed = 0;
      await pool(list, httpConcurrency, async (receipt) => {
        const response = await fetch(`${stack.url}${path(receipt)}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${seeded.sessions[receipt.reader]}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ messageIds: [receipt.messageId] }),
        });
        await response.arrayBuffer();
        if (response.status !== 204) failed++;
      });
      return {
        seconds: (performance.now() - t0) / 1000,
        php: cpuOf(stack.phpPids()) - php0,
        nginx: cpuOf(stack.nginxPids()) - nginx0,
        redis: cpuSeconds(redisPid) - redis0,
        commands: (await commandsSoFar(redis)) - commands0,
        failed,
      };
    };
    // Warm-up (opcache, keep-alive connections), not measured.
    for (let i = 0; i < fpmWorkers * 4; i++) await (await fetch(`${stack.url}/api/config`)).text();
    const http = await httpRound((r) => `/api/conversations/${r.conversationId}/delivered`);
    const httpLost = count - (await deliveredCount(redis, seeded));
    const httpFloor = await httpRound(() => '/noop');
    await stack.stop();
    running.pop();

    // New: socket.io → gateway → backend event stream → the generated consumer.
    const node = await startLocalPostbodeNode(context, { env: { POSTBODE_LOG_LEVEL: 'error' } });
    running.push(node);
    worker = startWorker(`${DEMO_PHP}receipt-handler.php`, 'bench-worker');
    const again = await seed();
    const sockets = await Promise.all(
      Array.from({ length: count / RECEIPTS_PER_SOCKET }, async (_, i) => {
        const reader = (again.list[i * RECEIPTS_PER_SOCKET] as Receipt).reader;
        const token = await signTestToken(
          { sub: reader, site: 'nl', roles: ['member'] },
          { key: context.jwtSecret },
        );
        return connectSocket(node.origin.replace(/^ws/, 'http'), {
          token,
          transports: ['websocket'],
        });
      }),
    );
    try {
      /** Each socket sends its 10 receipts; the worker's and gateway's CPU until all acked. */
      const socketRound = async (workerPid: number) => {
        // Presence transitions (and an earlier round) are on the stream too: drained first.
        await waitGroupDrained(redis, {
          timeoutMs: 60_000,
          description: 'the consumer to drain the stream before the round',
        });
        const reads0 = await commandCalls(redis, 'xreadgroup');
        const php0 = cpuSeconds(workerPid);
        const gateway0 = cpuSeconds(node.pid);
        const redis0 = cpuSeconds(redisPid);
        const commands0 = await commandsSoFar(redis);
        const t0 = performance.now();
        let refused = 0;
        await Promise.all(
          sockets.map(async (socket, i) => {
            const mine = again.list.slice(i * RECEIPTS_PER_SOCKET, (i + 1) * RECEIPTS_PER_SOCKET);
            for (const receipt of mine) {
              const ack = (await socket.timeout(30_000).emitWithAck('postbode:event', {
                action: 'message.delivered',
                data: { conversationId: receipt.conversationId, messageIds: [receipt.messageId] },
              })) as { ok: boolean };
              if (!ack.ok) refused++;
            }
          }),
        );
        await waitGroupDrained(redis, {
          timeoutMs: 120_000,
          intervalMs: 5,
          description: 'the PHP consumer to acknowledge every receipt',
        });
        return {
          seconds: (performance.now() - t0) / 1000,
          php: cpuSeconds(workerPid) - php0,
          gateway: cpuSeconds(node.pid) - gateway0,
          redis: cpuSeconds(redisPid) - redis0,
          reads: (await commandCalls(redis, 'xreadgroup')) - reads0,
          commands: (await commandsSoFar(redis)) - commands0,
          refused,
        };
      };
      const socket = await socketRound(worker.pid as number);
      const socketLost = count - (await deliveredCount(redis, again.seeded));
      await stopProcessGroup(worker);
      // Entries the stopped worker had read and not handled (EventConsumer leaves what a read
      // returns after the stop signal pending) are claimed by its replacement after a second,
      // not after the default minute.
      worker = startWorker(NOOP_HANDLER, 'bench-noop-worker', 1_000);
      // The sockets' buckets (burst 20, 10/s) hold 10 more receipts each after a second.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const socketFloor = await socketRound(worker.pid as number);

      m.add(
        'http.phpUs',
        'HTTP: PHP CPU per receipt (php-fpm)',
        'µs',
        'lower',
        perReceipt(http.php),
      );
      m.add(
        'socket.phpUs',
        'socket: PHP CPU per receipt (consumer)',
        'µs',
        'lower',
        perReceipt(socket.php),
      );
      m.add(
        'ratio',
        'PHP CPU per receipt, HTTP ÷ socket (goal ≥ 5)',
        '×',
        'higher',
        http.php / socket.php,
      );
      m.add(
        'socket.gatewayUs',
        'socket: gateway CPU per client event',
        'µs',
        'lower',
        perReceipt(socket.gateway),
      );
      m.add(
        'http.floorUs',
        'HTTP floor: PHP CPU per request, empty script',
        'µs',
        'lower',
        perReceipt(httpFloor.php),
      );
      m.add(
        'socket.floorUs',
        'socket floor: PHP CPU per entry, empty handler',
        'µs',
        'lower',
        perReceipt(socketFloor.php),
      );
      m.add(
        'floorRatio',
        'PHP CPU floor, HTTP ÷ socket',
        '×',
        'higher',
        httpFloor.php / socketFloor.php,
      );
      m.add('http.nginxUs', 'HTTP: nginx CPU per receipt', 'µs', 'lower', perReceipt(http.nginx));
      m.add('http.redisUs', 'HTTP: Redis CPU per receipt', 'µs', 'lower', perReceipt(http.redis));
      m.add(
        'socket.redisUs',
        'socket: Redis CPU per receipt',
        'µs',
        'lower',
        perReceipt(socket.redis),
      );
      m.add(
        'http.commands',
        'HTTP: Redis commands per receipt',
        'count',
        'lower',
        http.commands / count,
      );
      m.add(
        'socket.commands',
        'socket: Redis commands per receipt (gateway and PHP)',
        'count',
        'lower',
        socket.commands / count,
      );
      m.add('http.perSecond', 'HTTP: receipts per second', '/s', 'higher', count / http.seconds);
      m.add(
        'socket.perSecond',
        'socket: receipts per second (until acked)',
        '/s',
        'higher',
        count / socket.seconds,
      );
      m.add(
        'socket.perRead',
        'socket: entries per XREADGROUP (mean)',
        'count',
        'higher',
        count / Math.max(1, socket.reads),
      );
      m.add(
        'http.failed',
        'HTTP: requests not answered 204',
        'count',
        'lower',
        http.failed + httpFloor.failed,
      );
      m.add(
        'socket.refused',
        'socket: events not acked ok',
        'count',
        'lower',
        socket.refused + socketFloor.refused,
      );
      m.add('http.lost', `HTTP: receipts lost (of ${count})`, 'count', 'lower', httpLost);
      m.add('socket.lost', `socket: receipts lost (of ${count})`, 'count', 'lower', socketLost);
      return m.list;
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  } finally {
    if (worker !== undefined) await stopProcessGroup(worker);
    for (const part of running.reverse()) await part.stop();
    redis.disconnect();
    await redisServer.stop();
  }
}
