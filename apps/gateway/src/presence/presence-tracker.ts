/** What {@link createPresenceTracker} reports to. */
export interface PresenceTrackerTarget {
  join(site: string, user: string): void;
  leave(site: string, user: string): void;
}

/** This node's sockets per user: the store hears only of a user's first and last socket here. */
export interface PresenceTracker {
  /** A socket of `user` on `site` connected. */
  add(site: string, user: string): void;
  /** A socket of `user` on `site` closed. */
  remove(site: string, user: string): void;
  /** Every `[site, user]` with at least one socket on this node. */
  users(): Iterable<readonly [site: string, user: string]>;
}

/** Counts sockets per (site, user), so that tabs on one node cost Redis nothing. */
export function createPresenceTracker(target: PresenceTrackerTarget): PresenceTracker {
  /** site → user → sockets on this node. */
  const counts = new Map<string, Map<string, number>>();
  return {
    add(site, user) {
      let users = counts.get(site);
      if (users === undefined) {
        users = new Map();
        counts.set(site, users);
      }
      const count = users.get(user) ?? 0;
      users.set(user, count + 1);
      if (count === 0) target.join(site, user);
    },
    remove(site, user) {
      const users = counts.get(site);
      const count = users?.get(user);
      if (users === undefined || count === undefined) return;
      if (count > 1) {
        users.set(user, count - 1);
        return;
      }
      users.delete(user);
      if (users.size === 0) counts.delete(site);
      target.leave(site, user);
    },
    *users() {
      for (const [site, users] of counts)
        for (const user of users.keys()) yield [site, user] as const;
    },
  };
}
