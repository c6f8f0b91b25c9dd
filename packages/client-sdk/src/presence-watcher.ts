import type { PayloadOf } from '@postbode/protocol';
import type { UNWATCH_EVENT, WATCH_EVENT, WatchAck } from '@postbode/protocol/core';
import type { RealtimeClient } from './realtime-client.js';

/** A watched user's presence, as the snapshot or a `presence.changed` gives it. */
export interface PresenceUpdate {
  userId: string;
  online: boolean;
  /** When the user went offline (ms), when the gateway said. */
  lastSeenAt?: number;
}

/** A presence listener. */
export type PresenceHandler = (update: PresenceUpdate) => void;

/** What `client.watchPresence()` returns. */
export interface PresenceWatch {
  /** The user ids this watch holds. */
  readonly userIds: readonly string[];
  /** Stops this watch (users another watch holds stay watched). Safe to call more than once. */
  stop(): void;
}

/**
 * The reserved event names, passed in by the client: this module imports nothing the core
 * bundle has, so that loading it adds one small chunk and splits nothing out of the core.
 */
export interface PresenceEvents {
  watch: typeof WATCH_EVENT;
  unwatch: typeof UNWATCH_EVENT;
}

/** The presence half of a client (see {@link createPresenceWatcher}). */
export interface PresenceWatcher {
  /** Adds a watch; `handler` hears the updates of its users. */
  watch(userIds: readonly string[], handler?: PresenceHandler): PresenceWatch;
  /** Calls `handler` for every update of a watched user. */
  on(handler: PresenceHandler): () => void;
}

/**
 * The client's watched users (contract 7), counted per user over every watch: `postbode:watch`
 * for users that become watched, `postbode:unwatch` for those no watch holds any more, and all
 * of them again after every (re)connection, whose snapshot updates everyone. Loaded by the
 * client with `import()` on the first watch, so the core bundle stays under its budget.
 */
export function createPresenceWatcher(
  client: RealtimeClient,
  events: PresenceEvents,
): PresenceWatcher {
  const { socket, logger } = client;
  const { watch: WATCH_EVENT } = events;
  const refs = new Map<string, number>();
  // A Set, not the core's ListenerSet: this chunk shares no module with the core bundle.
  const listeners = new Set<PresenceHandler>();
  const emit = (update: PresenceUpdate): void => {
    for (const listener of [...listeners]) {
      try {
        listener(update);
      } catch (error) {
        logger.error('postbode: a presence handler threw', { error });
      }
    }
  };
  const on = (handler: PresenceHandler) => {
    // A wrapper per registration: the same handler added twice is two registrations.
    const entry: PresenceHandler = (update) => handler(update);
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
  const send = (event: string, users: string[]): void => {
    // Not connected: the next connection sends every watched user.
    if (users.length === 0 || !socket.connected) return;
    socket.emit(event, { users }, (ack: WatchAck) => {
      if (!ack.ok) logger.warn('postbode: watch refused', ack.error);
      else if (event === WATCH_EVENT) {
        for (const userId of users) {
          if (refs.has(userId)) emit({ userId, online: ack.online.includes(userId) });
        }
      }
    });
  };
  socket.on('connect', () => send(WATCH_EVENT, [...refs.keys()]));
  client.on('presence.changed', (data: PayloadOf<'presence.changed'>) => {
    if (!refs.has(data.userId)) return;
    const update: PresenceUpdate = { userId: data.userId, online: data.status === 'online' };
    if (data.lastSeenAt !== undefined) update.lastSeenAt = data.lastSeenAt;
    emit(update);
  });
  /** Counts one more (+1) or one less (-1) watch of each id; the ids that changed state. */
  const count = (ids: string[], step: 1 | -1) =>
    ids.filter((id) => {
      const next = (refs.get(id) ?? 0) + step;
      if (next > 0) refs.set(id, next);
      else refs.delete(id);
      return step > 0 ? next === 1 : next <= 0;
    });

  return {
    watch(userIds, handler) {
      const ids = [...new Set(userIds.map(String))];
      const off = handler && on((update) => ids.includes(update.userId) && handler(update));
      send(WATCH_EVENT, count(ids, 1));
      let stopped = false;
      return {
        userIds: ids,
        stop() {
          if (stopped) return;
          stopped = true;
          off?.();
          send(events.unwatch, count(ids, -1));
        },
      };
    },
    on,
  };
}
