import { UNWATCH_EVENT, type UnwatchAck, WATCH_EVENT, type WatchAck } from '@postbode/protocol';
import type { PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import { createMemoryPresence } from './memory-presence.js';
import type { PresenceStore } from './presence-store.js';
import { createPresenceTracker } from './presence-tracker.js';
import { createPresenceWatchers } from './presence-watchers.js';
import { createRedisPresence } from './redis-presence.js';
import { parseWatchRequest } from './watch-request.js';

/** Options of {@link createPresenceStage}. */
export interface PresenceStageOptions {
  /** Unset: presence in this node's memory (the embedded bus). */
  redisUrl?: string;
  nodeId: string;
  /** `POSTBODE_PRESENCE_PREFIX`. */
  keyPrefix: string;
  eventsStream: string;
  /** `POSTBODE_PRESENCE_GRACE`, in seconds. */
  graceSeconds: number;
  /** `POSTBODE_PRESENCE_TTL`, in seconds. */
  ttlSeconds: number;
  logger: Logger;
}

/** Presence (contract 7) on one node: fed by `connection/`, watched by sockets. */
export interface PresenceStage {
  /** Starts the heartbeat and the subscription. */
  start(): Promise<void>;
  /** An authenticated socket connected: counts it, and serves its watch and unwatch. */
  connected(socket: PostbodeSocket): void;
  /** After the sockets are closed: lets their disconnects reach Redis, then stops. */
  close(): Promise<void>;
}

/**
 * Creates the presence stage: a tracker of this node's sockets per user, a store (Redis across
 * nodes, or memory) that decides transitions, and the watchers that get `presence.changed`.
 */
export function createPresenceStage(options: PresenceStageOptions): PresenceStage {
  const { logger } = options;
  const graceMs = options.graceSeconds * 1000;
  let store: PresenceStore;
  const tracker = createPresenceTracker({
    join: (site, user) => store.join(site, user),
    leave: (site, user) => store.leave(site, user),
  });
  const onChange: Parameters<typeof createMemoryPresence>[0]['onChange'] = (change) =>
    watchers.changed(change);
  store =
    options.redisUrl === undefined
      ? createMemoryPresence({ graceMs, onChange })
      : createRedisPresence({
          url: options.redisUrl,
          nodeId: options.nodeId,
          keyPrefix: options.keyPrefix,
          eventsStream: options.eventsStream,
          graceMs,
          ttlMs: options.ttlSeconds * 1000,
          localUsers: () => tracker.users(),
          onResync: () => {
            watchers.resync().catch((error: Error) => {
              logger.warn({ err: error.message }, 'presence: resync of watchers failed');
            });
          },
          watching: () => watchers.watching(),
          onChange,
          logger,
        });
  const watchers = createPresenceWatchers(store, logger);

  // Shared by every socket, with the socket as `this`: no closure per socket.
  function onDisconnect(this: PostbodeSocket): void {
    const { claims } = this.data;
    watchers.drop(this);
    tracker.remove(claims.site, claims.sub);
  }
  function onWatch(this: PostbodeSocket, request: unknown, ack: unknown): void {
    const reply = typeof ack === 'function' ? (ack as (answer: WatchAck) => void) : () => {};
    const parsed = parseWatchRequest(request);
    if (!parsed.ok) {
      reply(parsed);
      return;
    }
    void watchers.watch(this, parsed.users, reply);
  }
  function onUnwatch(this: PostbodeSocket, request: unknown, ack: unknown): void {
    const reply = typeof ack === 'function' ? (ack as (answer: UnwatchAck) => void) : () => {};
    const parsed = parseWatchRequest(request);
    if (!parsed.ok) {
      reply({ ok: false, error: { code: 'INVALID_PAYLOAD', message: parsed.error.message } });
      return;
    }
    reply(watchers.unwatch(this, parsed.users));
  }

  return {
    start: () => store.start(),
    connected(socket) {
      const { claims } = socket.data;
      tracker.add(claims.site, claims.sub);
      socket.on('disconnect', onDisconnect);
      socket.on(WATCH_EVENT, onWatch);
      socket.on(UNWATCH_EVENT, onUnwatch);
    },
    async close() {
      watchers.close();
      await store.close();
    },
  };
}
