import { randomUUID } from 'node:crypto';
import type { PresenceChange } from '@postbode/protocol';
import type { PresenceStore, PresenceStoreOptions } from './presence-store.js';

/**
 * Presence in this node's memory, for the embedded bus (no Redis, one node): the same grace and
 * the same transitions as in Redis, without the backend event stream (there is no Redis to
 * append to) and without the TTL (there is no other node to die).
 */
export function createMemoryPresence(options: PresenceStoreOptions): PresenceStore {
  const { graceMs, onChange } = options;
  /** `site` → user → when last seen (connect or disconnect), for online users. */
  const online = new Map<string, Map<string, number>>();
  /** `site` → user → when the user went offline. */
  const lastSeen = new Map<string, Map<string, number>>();
  /** `site\0user` → the timer of the grace. */
  const graces = new Map<string, NodeJS.Timeout>();

  const siteMap = (maps: Map<string, Map<string, number>>, site: string) => {
    let map = maps.get(site);
    if (map === undefined) {
      map = new Map();
      maps.set(site, map);
    }
    return map;
  };
  const change = (
    site: string,
    user: string,
    status: PresenceChange['status'],
    lastSeenAt?: number,
  ) => {
    onChange({
      site,
      user,
      status,
      id: randomUUID(),
      ts: Date.now(),
      ...(lastSeenAt === undefined ? {} : { lastSeenAt }),
    });
  };

  return {
    async start() {},
    join(site, user) {
      const key = `${site}\0${user}`;
      clearTimeout(graces.get(key));
      graces.delete(key);
      const users = siteMap(online, site);
      const known = users.has(user);
      users.set(user, Date.now());
      if (!known) change(site, user, 'online');
    },
    leave(site, user) {
      const key = `${site}\0${user}`;
      const users = siteMap(online, site);
      if (users.has(user)) users.set(user, Date.now());
      const timer = setTimeout(() => {
        graces.delete(key);
        const seen = users.get(user);
        if (seen === undefined) return;
        users.delete(user);
        siteMap(lastSeen, site).set(user, seen);
        change(site, user, 'offline', seen);
      }, graceMs);
      timer.unref();
      graces.set(key, timer);
    },
    async online(site, users) {
      const map = online.get(site);
      return users.map((user) => map?.has(user) ?? false);
    },
    async lastSeen(site, users) {
      const map = lastSeen.get(site);
      return users.map((user) => map?.get(user));
    },
    async close() {
      for (const timer of graces.values()) clearTimeout(timer);
      graces.clear();
    },
  };
}
