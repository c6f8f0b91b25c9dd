/**
 * Presence (contract 7): who is online, per site, across every gateway node. The Redis key
 * layout is part of the contract: PHP (`Postbode\Presence`) and any other language read it with
 * plain commands. See `packages/protocol/redis/README.md` for the scripts that write it.
 *
 * Per site `<site>` (readable by anyone):
 * - `postbode:presence:<site>:online`: sorted set, member = user id, score = the last time (ms)
 *   one of the user's sockets connected or disconnected. A member is online, and only members
 *   are (`ZMSCORE` answers isOnline, `ZCARD` counts, `ZREVRANGE` lists, most recent first).
 * - `postbode:presence:<site>:last-seen`: hash, user id → when the user last went offline (ms).
 * - `postbode:presence:<site>:user:<user>`: set of the node ids where the user has sockets.
 * - `postbode:presence:<site>:node:<node>`: set of the user ids with sockets on that node.
 *
 * The gateways' bookkeeping (global, written only by the scripts):
 * - `postbode:presence-node:<node>`: string with a TTL (the node's heartbeat; gone: node dead).
 * - `postbode:presence-node:<node>:sites`: set of the sites that node has users on.
 * - `postbode:presence-nodes`: sorted set, node id → its last heartbeat (ms).
 * - `postbode:presence-pending`: sorted set, member `<site> <user>` → when the grace ends (ms).
 * - channel `postbode:presence-changes`: one JSON {@link PresenceChange} per transition.
 */

/**
 * The default prefix of every presence key: `postbode:presence:<site>:…`, `postbode:presence-node:…`.
 * The gateway's `POSTBODE_PRESENCE_PREFIX` replaces it (Redis Cluster: a prefix with a hash tag,
 * `{postbode}:presence`, puts every presence key on one slot).
 */
export const PRESENCE_KEY_PREFIX = 'postbode:presence';

/** The sorted set of a site's online users (member: user id, score: last seen in ms). */
export function presenceOnlineKey(site: string, prefix: string = PRESENCE_KEY_PREFIX): string {
  return `${prefix}:${site}:online`;
}

/** The hash of when a site's users last went offline (user id → ms). */
export function presenceLastSeenKey(site: string, prefix: string = PRESENCE_KEY_PREFIX): string {
  return `${prefix}:${site}:last-seen`;
}

/** A node's heartbeat key (a string with a TTL; gone: the node is dead and its users are reaped). */
export function presenceNodeKey(node: string, prefix: string = PRESENCE_KEY_PREFIX): string {
  return `${prefix}-node:${node}`;
}

/** The channel on which every presence transition is published (one JSON {@link PresenceChange}). */
export const PRESENCE_CHANGES_CHANNEL = 'postbode:presence-changes';

/** Most user ids one socket may watch at once (`postbode:watch`); a watch beyond it is refused whole. */
export const PRESENCE_WATCH_LIMIT = 1000;

/** Why a presence transition happened: the `reason` of a presence event's `data`. */
export type PresenceReason =
  /** The user's first socket on any node of the site connected. */
  | 'connected'
  /** The user's last socket closed and the grace passed without a new one. */
  | 'closed'
  /** The node that held the user's last sockets stopped its heartbeat (crash, pause, network). */
  | 'node_expired';

/** Every {@link PresenceReason}, for documentation and exhaustive checks. */
export const PRESENCE_REASONS = [
  'connected',
  'closed',
  'node_expired',
] as const satisfies readonly PresenceReason[];

/**
 * The `data` of a `presence.online` / `presence.offline` entry on the backend event stream
 * (a JSON object).
 */
export interface PresenceEventData {
  /** Why it happened. */
  reason: PresenceReason;
  /** On `presence.offline`: when the user was last seen online (ms since the epoch). */
  lastSeenAt?: number;
  /** On `reason: 'node_expired'`: the node whose heartbeat stopped. */
  expiredNode?: string;
}

/** One transition as published on {@link PRESENCE_CHANGES_CHANNEL} (gateway to gateway). */
export interface PresenceChange {
  site: string;
  user: string;
  status: 'online' | 'offline';
  /** The event id, the same as the backend event's `id`. */
  id: string;
  /** When it happened (ms, Redis's clock). */
  ts: number;
  /** On offline: when the user was last seen online (ms). */
  lastSeenAt?: number;
}

/** What a client sends with `postbode:watch` and `postbode:unwatch`. */
export interface WatchRequest {
  /** User ids of the socket's own site. */
  users: string[];
}

/** The acknowledgement of `postbode:watch`: the snapshot, or why nothing is watched. */
export type WatchAck =
  | {
      ok: true;
      /** Which of the requested users are online now. */
      online: string[];
    }
  | {
      ok: false;
      /** `INVALID_PAYLOAD`: malformed; `TOO_LARGE`: over the limit; `UNAVAILABLE`: Redis down. */
      error: { code: 'INVALID_PAYLOAD' | 'TOO_LARGE' | 'UNAVAILABLE'; message: string };
    };

/** The acknowledgement of `postbode:unwatch`. */
export type UnwatchAck =
  | { ok: true }
  | { ok: false; error: { code: 'INVALID_PAYLOAD'; message: string } };
