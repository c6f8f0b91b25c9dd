// TODO(issue 11): these shapes move to @postbode/protocol (contract 6) with the SDK's side.

/** Why a connection was not recovered (`postbode:sync` `reason`). */
export type SyncReason = 'no_cursor' | 'epoch' | 'trimmed' | 'too_many' | 'unavailable';

/** The payload of `postbode:sync`: where the socket is live from, and whether it missed nothing. */
export interface SyncEvent {
  epoch: string;
  offset: string;
  recovered: boolean;
  replayed: number;
  reason?: SyncReason;
}

/** A client's position in the durable history: `auth.cursor` of the handshake. */
export interface Cursor {
  epoch: string;
  offset: string;
}

/** The reserved event name of {@link SyncEvent}. */
export const SYNC_EVENT = 'postbode:sync';
