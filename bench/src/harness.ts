import type { ChildProcess } from 'node:child_process';
import {
  type RedisServer,
  spawnProcessGroup,
  startRedis,
  stopProcessGroup,
  TEST_JWT_SECRET,
} from '@postbode/testkit';
import { type IpcClient, ipcClient } from './ipc.js';
import { pinToCpu } from './pin.js';
import type { Wire } from './publisher/wire.js';
import { scriptPath } from './script-path.js';
import type { TargetContext } from './targets/target.js';

/** The processes every scenario uses: Redis, the publisher, the load generator. */
export interface Harness {
  readonly redis: RedisServer;
  readonly redisPid: number;
  readonly loadgen: IpcClient;
  readonly publisher: IpcClient;
  /** The load generator's and the publisher's process ids (for `/proc` readings). */
  readonly loadgenPid: number;
  readonly publisherPid: number;
  readonly context: TargetContext;
  /** True when the load core and the server core were pinned. */
  readonly pinned: boolean;
  /** Where Redis runs when pinned (`server`: beside the servers; `load`: beside the load). */
  readonly redisCore: RedisCore;
  /** Points the publisher at a target's wire. */
  useWire(wire: Wire): Promise<void>;
  /** Stops every process the harness started. */
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Tokens to sign up front (the largest N). */
  users: number;
  /**
   * Pin servers (and Redis: `redisCore`) to core 1 and everything else to core 0 (`taskset`).
   * @default true on a machine with 2 or more cores
   */
  pin: boolean;
  /**
   * The core Redis is pinned to: `server` (core 1, with the servers: Redis is part of every
   * Redis-fed system under test, and what it does for one target must not slow the load
   * generator that times all of them) or `load` (core 0, with the publisher and the load
   * generator: the placement of the runs before 2026-12-01).
   * @default 'server'
   */
  redisCore?: RedisCore;
}

/** Which core Redis shares: the servers' or the load generator's. */
export type RedisCore = 'server' | 'load';

const LOAD_CPU = 0;
const SERVER_CPU = 1;

/** A node child with an IPC channel (what `fork` does), in a process group of its own. */
function forkChild(script: string, execArgv: string[]): ChildProcess {
  return spawnProcessGroup(process.execPath, [...execArgv, scriptPath(script)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/**
 * Starts the harness. The calling process pins itself to the load core first, so the publisher
 * and the load generator (its children) run there; Redis is then moved to the server core
 * (unless `redisCore: 'load'`), and servers pin themselves to it.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const redisCore = options.redisCore ?? 'server';
  const pinned = options.pin && pinToCpu(process.pid, LOAD_CPU);
  const redis = await startRedis();
  const admin = redis.client();
  const info = await admin.info('server');
  admin.disconnect();
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  if (pinned && redisCore === 'server' && !pinToCpu(redisPid, SERVER_CPU)) {
    await redis.stop();
    throw new Error(`could not pin Redis (pid ${redisPid}) to core ${SERVER_CPU}`);
  }
  // A larger young generation keeps the load generator's scavenges rare and short, so its own
  // GC pauses do not dominate the latency it measures.
  // It also collects its heap before every measured window (`reset`), so a major GC of its
  // own does not land inside one.
  const loadgenChild = forkChild('loadgen/loadgen-main.js', [
    '--max-semi-space-size=64',
    '--max-old-space-size=4096',
    '--expose-gc',
  ]);
  const publisherChild = forkChild('publisher/publisher-main.js', ['--max-semi-space-size=32']);
  const loadgen = ipcClient(loadgenChild);
  const publisher = ipcClient(publisherChild);
  loadgen.onNotice((notice) => {
    if (notice.type === 'progress') publisher.notify(notice);
  });
  await loadgen.call('tokens', { count: options.users, secret: TEST_JWT_SECRET });
  const context: TargetContext = {
    redisUrl: redis.url,
    jwtSecret: TEST_JWT_SECRET,
    serverCpu: pinned ? SERVER_CPU : undefined,
  };
  return {
    redis,
    redisPid,
    loadgen,
    publisher,
    loadgenPid: loadgenChild.pid as number,
    publisherPid: publisherChild.pid as number,
    context,
    pinned,
    redisCore,
    async useWire(wire) {
      await publisher.call('init', { redisUrl: redis.url, wire });
    },
    async close() {
      await Promise.allSettled([loadgen.call('exit'), publisher.call('exit')]);
      await Promise.all(
        [loadgenChild, publisherChild].map((child) =>
          stopProcessGroup(child, { signal: 'SIGKILL' }),
        ),
      );
      await redis.stop();
    },
  };
}
