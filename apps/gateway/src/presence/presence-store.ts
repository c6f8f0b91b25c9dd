import type { PresenceChange } from '@postbode/protocol';

/**
 * Where presence is kept: Redis across nodes (redis-presence.ts) or this node's memory with the
 * embedded bus (memory-presence.ts). The tracker calls `join` for a user's first socket on this
 * node and `leave` for their last, in that order per user; the store decides transitions (with
 * the grace and, across nodes, the TTL) and reports each through its `onChange` option.
 */
export interface PresenceStore {
  /** Starts the heartbeat (and the subscription to other nodes' transitions). */
  start(): Promise<void>;
  /** The user's first socket on this node connected. */
  join(site: string, user: string): void;
  /** The user's last socket on this node closed. */
  leave(site: string, user: string): void;
  /** Whether each of `users` is online on `site`, in order (the watch snapshot). */
  online(site: string, users: readonly string[]): Promise<boolean[]>;
  /** When each of `users` went offline (ms), in order; undefined: never seen, or online. */
  lastSeen(site: string, users: readonly string[]): Promise<Array<number | undefined>>;
  /** Stops timers, lets pending writes finish, closes connections. Sockets are closed already. */
  close(): Promise<void>;
}

/** What every store is given. */
export interface PresenceStoreOptions {
  /** How long a user with no socket left stays online, in ms (`POSTBODE_PRESENCE_GRACE`). */
  graceMs: number;
  /** Called once per transition this node hears of (its own and other nodes'). */
  onChange(change: PresenceChange): void;
}
