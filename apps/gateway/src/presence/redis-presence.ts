import { randomUUID } from 'node:crypto';
import {
  PRESENCE_CHANGES_CHANNEL,
  type PresenceChange,
  presenceLastSeenKey,
  presenceNodeKey,
  presenceOnlineKey,
} from '@postbode/protocol';
import { reconnectDelay } from '../ingest/reconnect-delay.js';
import type { Logger } from '../observability/logger.js';
import { createRedis, type RedisConnectionOptions } from '../redis/create-redis.js';
import { bindPresenceScripts, type PresenceOp } from './presence-scripts.js';
import type { PresenceStore, PresenceStoreOptions } from './presence-store.js';

/** Options of {@link createRedisPresence}. */
export interface RedisPresenceOptions extends PresenceStoreOptions {
  url: string;
  /** This node's id (`POSTBODE_NODE_ID`), in its keys and in the entries it writes. */
  nodeId: string;
  /** The prefix of every presence key (`POSTBODE_PRESENCE_PREFIX`). */
  keyPrefix: string;
  /** The backend event stream (`POSTBODE_EVENTS_STREAM`). */
  eventsStream: string;
  /** `POSTBODE_PRESENCE_TTL` in ms: a silent node's users are offline within it. */
  ttlMs: number;
  /** Every `[site, user]` with a socket on this node (announced again after a reap). */
  localUsers(): Iterable<readonly [site: string, user: string]>;
  /** The subscription to transitions was lost and is back: watchers need a fresh snapshot. */
  onResync(): void;
  /** Whether any socket of this node watches anyone (else transitions are not even parsed). */
  watching(): boolean;
  logger: Logger;
}

/**
 * Most ended graces one tick call settles, and most of dead nodes' users it takes; a full batch
 * is followed by another call at once (Redis serves other clients in between).
 */
const SETTLE_BATCH = 1000;
/**
 * Connects and disconnects are gathered for this long (ms) and sent as one script call: a
 * connect storm costs Redis one call per batch, not one per user.
 */
const BATCH_WINDOW_MS = 20;
/** Most changes in one script call. */
const BATCH_MAX = 1000;
/** Ticks run a little after a grace ends, so Redis's clock has passed it too. */
const SETTLE_MARGIN_MS = 50;

/**
 * Presence across nodes in Redis (contract 7's key layout, written only by the Lua scripts in
 * `@postbode/protocol/redis/presence-*.lua`). Only a user's first and last socket on this node
 * cost anything, and those are sent in batches (one script call per 20 ms or 1000 changes);
 * idle sockets cost nothing: the node ticks
 * every TTL/4 (heartbeat with a TTL/2 expiry, reaping of dead nodes, settling of graces), so a
 * dead node's users are offline within 3/4 of the TTL.
 */
export function createRedisPresence(options: RedisPresenceOptions): PresenceStore {
  const { nodeId, keyPrefix, eventsStream, ttlMs, graceMs, logger } = options;
  const common: Omit<RedisConnectionOptions, 'connectionName'> = {
    lazyConnect: true,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
  };
  // Commands wait for a reconnection in order: a user's connect and disconnect stay ordered.
  const commands = createRedis(options.url, {
    ...common,
    maxRetriesPerRequest: null,
    connectionName: 'postbode-gateway-presence',
  });
  const subscriber = createRedis(options.url, {
    ...common,
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    connectionName: 'postbode-gateway-presence-sub',
  });
  const scripts = bindPresenceScripts(commands);
  const heartbeatMs = Math.max(1, Math.floor(ttlMs / 2));
  const tickEveryMs = Math.max(1, Math.floor(ttlMs / 4));

  let closing = false;
  let subscribedOnce = false;
  let tickTimer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  /** When graces this node started end (increasing: the grace is constant). */
  const graceEnds: number[] = [];
  let ticking: Promise<void> | undefined;
  let tickAgain = false;

  const logFailure = (what: string) => (error: Error) => {
    if (!closing) logger.warn({ err: error.message }, `presence: ${what} failed`);
  };

  /** Changes not yet sent, in order; flushed as one script call. */
  let queue: PresenceOp[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const graceStarted = (): void => {
    const end = Date.now() + graceMs + SETTLE_MARGIN_MS;
    const last = graceEnds.at(-1);
    // Graces that end within one margin share a tick.
    if (last === undefined || end - last > SETTLE_MARGIN_MS) graceEnds.push(end);
    scheduleSettle();
  };

  const flush = (): Promise<void> => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    while (queue.length > 0) {
      const changes = queue.slice(0, BATCH_MAX);
      queue = queue.slice(changes.length);
      // One connection, calls in order: a user's connect and disconnect stay ordered.
      flushing = scripts
        .batch(nodeId, keyPrefix, eventsStream, randomUUID(), graceMs, changes)
        .then(({ graces }) => {
          if (graces > 0) graceStarted();
        }, logFailure('a batch of connects and disconnects'));
    }
    return flushing;
  };

  const enqueue = (change: PresenceOp): void => {
    queue.push(change);
    if (queue.length >= BATCH_MAX) void flush();
    else if (flushTimer === undefined) {
      flushTimer = setTimeout(flush, BATCH_WINDOW_MS);
      flushTimer.unref();
    }
  };

  const runTick = async (): Promise<void> => {
    for (;;) {
      const result = await scripts.tick(
        nodeId,
        keyPrefix,
        eventsStream,
        heartbeatMs,
        randomUUID(),
        SETTLE_BATCH,
      );
      if (result.fresh) {
        // First start, or reaped while paused past the TTL, or Redis lost its data: announce
        // every local user again (a user already online elsewhere produces no transition).
        let announced = 0;
        for (const [site, user] of options.localUsers()) {
          enqueue({ op: '+', site, user });
          announced += 1;
        }
        if (announced > 0) {
          logger.warn(
            { node: nodeId, users: announced },
            'presence: this node had no heartbeat in Redis (paused, cut off, or Redis restarted); announcing its users again',
          );
          await flush();
        }
      }
      // Bounded calls (SETTLE_BATCH graces and as many of dead nodes' users each): again while
      // work is left, other clients' commands run in between.
      if (result.settled < SETTLE_BATCH && !result.unreaped) return;
    }
  };

  const tick = (): Promise<void> => {
    if (ticking !== undefined) {
      tickAgain = true;
      return ticking;
    }
    ticking = runTick()
      .catch(logFailure('tick'))
      .finally(() => {
        ticking = undefined;
        if (tickAgain && !closing) {
          tickAgain = false;
          void tick();
        }
      });
    return ticking;
  };

  const scheduleSettle = (): void => {
    if (settleTimer !== undefined || closing) return;
    const next = graceEnds[0];
    if (next === undefined) return;
    settleTimer = setTimeout(
      () => {
        settleTimer = undefined;
        const now = Date.now();
        while (graceEnds[0] !== undefined && graceEnds[0] <= now) graceEnds.shift();
        void tick();
        scheduleSettle();
      },
      Math.max(0, next - Date.now()),
    );
    settleTimer.unref();
  };

  subscriber.on('ready', () => {
    subscriber.subscribe(PRESENCE_CHANGES_CHANNEL).then(
      () => {
        // Transitions published while the subscription was down were missed: re-snapshot.
        if (subscribedOnce) options.onResync();
        subscribedOnce = true;
      },
      (error: Error) => {
        logger.error({ err: error.message }, 'presence: could not subscribe to its channel');
        subscriber.disconnect(true);
      },
    );
  });
  subscriber.on('message', (_channel: string, message: string) => {
    // A connect storm publishes one transition per user: a node nobody watches from skips them.
    if (!options.watching()) return;
    let change: PresenceChange;
    try {
      change = JSON.parse(message) as PresenceChange;
    } catch {
      logger.warn('presence: a message on the changes channel is not JSON; ignored');
      return;
    }
    options.onChange(change);
  });
  let errorLogged = false;
  const onError = (error: Error) => {
    if (!errorLogged)
      logger.warn({ err: error.message }, 'presence: Redis connection error; retrying');
    errorLogged = true;
  };
  commands.on('error', onError);
  subscriber.on('error', onError);
  commands.on('ready', () => {
    errorLogged = false;
  });

  return {
    async start() {
      commands.connect().catch(() => undefined);
      subscriber.connect().catch(() => undefined);
      // Not awaited: the gateway serves while Redis is unreachable; commands wait in order.
      void tick();
      tickTimer = setInterval(() => void tick(), tickEveryMs);
      tickTimer.unref();
    },
    join(site, user) {
      enqueue({ op: '+', site, user });
    },
    leave(site, user) {
      enqueue({ op: '-', site, user });
    },
    async online(site, users) {
      if (users.length === 0) return [];
      const scores = await commands.zmscore(presenceOnlineKey(site, keyPrefix), ...users);
      return scores.map((score) => score !== null);
    },
    async lastSeen(site, users) {
      if (users.length === 0) return [];
      const values = await commands.hmget(presenceLastSeenKey(site, keyPrefix), ...users);
      return values.map((value) => (value === null ? undefined : Number(value)));
    },
    async close() {
      closing = true;
      clearInterval(tickTimer);
      clearTimeout(settleTimer);
      // The closed sockets' disconnects (their graces) reach Redis before the heartbeat goes.
      await flush();
      await ticking;
      // The sockets are closed and their graces pending: other nodes settle them (handing the
      // users over if they reconnect there). Without the heartbeat they also reap whatever
      // this node may have left behind.
      if (commands.status === 'ready') {
        await commands.del(presenceNodeKey(nodeId, keyPrefix)).catch(() => undefined);
      }
      await Promise.all(
        [commands, subscriber].map(async (client) => {
          if (client.status === 'ready') {
            await Promise.race([
              client.quit().catch(() => undefined),
              new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
            ]);
          }
          client.disconnect();
        }),
      );
    },
  };
}
