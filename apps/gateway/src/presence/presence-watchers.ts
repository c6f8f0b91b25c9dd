import { randomUUID } from 'node:crypto';
import {
  PRESENCE_WATCH_LIMIT,
  type PresenceChange,
  type UnwatchAck,
  type WatchAck,
} from '@postbode/protocol';
import type { PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import type { PresenceStore } from './presence-store.js';

/**
 * How long transitions are gathered before watchers get them, in ms: a user who flips several
 * times within it is sent once, in their last state.
 */
export const PRESENCE_COALESCE_MS = 200;

/** One socket's watch. */
interface SocketWatch {
  /** The user ids it watches (of its own site). */
  users: Set<string>;
  /** Users whose snapshot is on its way, with how many watches wait for it. */
  awaiting: Map<string, number>;
  /** The last change of an awaited user, sent after the snapshot if it differs. */
  held: Map<string, PresenceChange>;
}

/** Which sockets of this node watch whom, and `presence.changed` to them. */
export interface PresenceWatchers {
  /** Adds `users` to the socket's watch; resolves with the ack (the snapshot). */
  watch(socket: PostbodeSocket, users: string[], ack: (answer: WatchAck) => void): Promise<void>;
  /** Removes `users` from the socket's watch. */
  unwatch(socket: PostbodeSocket, users: string[]): UnwatchAck;
  /** The socket closed. */
  drop(socket: PostbodeSocket): void;
  /** A transition (this node's or another's), queued for the coalesced flush. */
  changed(change: PresenceChange): void;
  /** Transitions may have been missed: every watched user's state is read and sent again. */
  resync(): Promise<void>;
  /** Whether any socket watches anyone. */
  watching(): boolean;
  /** Stops the flush timer. */
  close(): void;
}

const keyOf = (site: string, user: string) => `${site}\0${user}`;

/** Creates the watch registry of one node over `store`. */
export function createPresenceWatchers(store: PresenceStore, logger: Logger): PresenceWatchers {
  const bySocket = new WeakMap<PostbodeSocket, SocketWatch>();
  /** `site\0user` → the sockets watching. */
  const byKey = new Map<string, Set<PostbodeSocket>>();
  /** `site\0user` → the last change not yet sent. */
  const queued = new Map<string, PresenceChange>();
  let flushTimer: NodeJS.Timeout | undefined;

  const send = (socket: PostbodeSocket, change: PresenceChange): void => {
    socket.emit(
      'presence.changed',
      {
        userId: change.user,
        status: change.status,
        ...(change.lastSeenAt === undefined ? {} : { lastSeenAt: change.lastSeenAt }),
      },
      { id: change.id, ts: change.ts, site: change.site },
    );
  };

  const flush = (): void => {
    flushTimer = undefined;
    for (const [key, change] of queued) {
      for (const socket of byKey.get(key) ?? []) {
        const watch = bySocket.get(socket);
        if (watch === undefined) continue;
        if (watch.awaiting.has(change.user)) watch.held.set(change.user, change);
        else send(socket, change);
      }
    }
    queued.clear();
  };

  const add = (socket: PostbodeSocket, watch: SocketWatch, site: string, user: string) => {
    watch.users.add(user);
    const key = keyOf(site, user);
    let sockets = byKey.get(key);
    if (sockets === undefined) {
      sockets = new Set();
      byKey.set(key, sockets);
    }
    sockets.add(socket);
  };
  const remove = (socket: PostbodeSocket, watch: SocketWatch, site: string, user: string) => {
    watch.users.delete(user);
    watch.held.delete(user);
    const key = keyOf(site, user);
    const sockets = byKey.get(key);
    sockets?.delete(socket);
    if (sockets?.size === 0) byKey.delete(key);
  };

  const changed = (change: PresenceChange): void => {
    const key = keyOf(change.site, change.user);
    if (!byKey.has(key)) return;
    queued.set(key, change);
    if (flushTimer === undefined) {
      flushTimer = setTimeout(flush, PRESENCE_COALESCE_MS);
      flushTimer.unref();
    }
  };

  return {
    async watch(socket, users, ack) {
      const { site } = socket.data.claims;
      let watch = bySocket.get(socket);
      if (watch === undefined) {
        watch = { users: new Set(), awaiting: new Map(), held: new Map() };
        bySocket.set(socket, watch);
      }
      const added = users.filter((user) => !watch.users.has(user));
      if (watch.users.size + added.length > PRESENCE_WATCH_LIMIT) {
        ack({
          ok: false,
          error: {
            code: 'TOO_LARGE',
            message: `a socket may watch at most ${PRESENCE_WATCH_LIMIT} users; it watches ${watch.users.size} and asked for ${added.length} more`,
          },
        });
        return;
      }
      // Watch first, then read: a change after the read reaches the socket (held until the
      // snapshot is sent, so the snapshot never overwrites a newer state).
      for (const user of added) add(socket, watch, site, user);
      for (const user of users) watch.awaiting.set(user, (watch.awaiting.get(user) ?? 0) + 1);
      let online: boolean[] | undefined;
      try {
        online = await store.online(site, users);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'presence: a watch snapshot failed');
      }
      const release = (user: string) => {
        const count = (watch.awaiting.get(user) ?? 1) - 1;
        if (count > 0) watch.awaiting.set(user, count);
        else watch.awaiting.delete(user);
        return count === 0;
      };
      if (online === undefined) {
        for (const user of users) release(user);
        for (const user of added) remove(socket, watch, site, user);
        ack({
          ok: false,
          error: { code: 'UNAVAILABLE', message: 'presence is unavailable right now; try again' },
        });
        return;
      }
      ack({ ok: true, online: users.filter((_, index) => online[index]) });
      users.forEach((user, index) => {
        if (!release(user)) return;
        const held = watch.held.get(user);
        if (held === undefined) return;
        watch.held.delete(user);
        if ((held.status === 'online') !== online[index]) send(socket, held);
      });
    },
    unwatch(socket, users) {
      const watch = bySocket.get(socket);
      if (watch === undefined) return { ok: true };
      const { site } = socket.data.claims;
      for (const user of users) remove(socket, watch, site, user);
      return { ok: true };
    },
    drop(socket) {
      const watch = bySocket.get(socket);
      if (watch === undefined) return;
      const { site } = socket.data.claims;
      for (const user of [...watch.users]) remove(socket, watch, site, user);
      bySocket.delete(socket);
    },
    changed,
    async resync() {
      const sites = new Map<string, string[]>();
      for (const key of byKey.keys()) {
        const [site = '', user = ''] = key.split('\0');
        sites.set(site, [...(sites.get(site) ?? []), user]);
      }
      for (const [site, users] of sites) {
        const [online, lastSeen] = await Promise.all([
          store.online(site, users),
          store.lastSeen(site, users),
        ]);
        const ts = Date.now();
        users.forEach((user, index) => {
          const seen = lastSeen[index];
          changed({
            site,
            user,
            status: online[index] ? 'online' : 'offline',
            id: `resync:${randomUUID()}`,
            ts,
            ...(online[index] || seen === undefined ? {} : { lastSeenAt: seen }),
          });
        });
      }
    },
    watching: () => byKey.size > 0,
    close() {
      clearTimeout(flushTimer);
    },
  };
}
