/**
 * Why a connection was not recovered (`postbode:sync` `reason`, DESIGN contract 6), with what
 * each means. The table is the documentation.
 */
export const SYNC_REASONS = {
  no_cursor: 'A first connection without a cursor: there was nothing to recover.',
  epoch:
    'The cursor is malformed, of another epoch, or past the end of the stream: history was lost (Redis restarted without its data, the stream was deleted, a failover to a replica that lacks entries).',
  trimmed:
    'Messages after the cursor are no longer retained (older than the history window, or removed before this node read them).',
  too_many: 'More messages were missed than the gateway replays (POSTBODE_RECOVERY_MAX).',
  unavailable: 'The gateway could not confirm the history with Redis in time.',
} as const satisfies Record<string, string>;

/** Why a connection was not recovered: one key of {@link SYNC_REASONS}. */
export type SyncReason = keyof typeof SYNC_REASONS;

/** A position in the durable history: what a client sends as `auth.cursor` to resume. */
export interface Cursor {
  /** The name of the history the offset belongs to. */
  epoch: string;
  /** A stream entry id (`meta.offset` of the last message seen, or a sync's `offset`). */
  offset: string;
}

/**
 * The payload of `postbode:sync`, emitted on every connection after any replayed messages and
 * before any live one, and again to a connected socket when history was lost under it.
 */
export interface SyncEvent {
  epoch: string;
  /** Where the socket is live from; always a valid cursor for the next connection. */
  offset: string;
  /** True when every message after the cursor was replayed (none was missed). */
  recovered: boolean;
  /** How many messages were replayed before this event. */
  replayed: number;
  /** Why not recovered (absent when `recovered`). */
  reason?: SyncReason;
}

/** What a client sends in the socket.io handshake: `io(url, { auth: { token, cursor } })`. */
export interface HandshakeAuth {
  /** The JWT the backend signed (DESIGN contract 2). */
  token: string;
  /** Where to resume from; absent on a first connection. */
  cursor?: Cursor;
}

/** True when `value` is one of the {@link SYNC_REASONS}. */
export function isSyncReason(value: unknown): value is SyncReason {
  return typeof value === 'string' && Object.hasOwn(SYNC_REASONS, value);
}
