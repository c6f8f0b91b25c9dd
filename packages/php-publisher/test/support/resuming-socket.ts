import type { Cursor, SyncEvent } from '@postbode/protocol/core';
import { connectWithSync } from '@postbode/testkit';
import { type DeliveredAction, deliveredActions } from './delivered-actions.js';

/** A socket.io client that records every event from the first packet on. */
export interface ResumingSocket {
  /** The server actions received so far, in order. */
  received(): DeliveredAction[];
  /** The actions received before the first `postbode:sync`, and that sync. */
  firstSync(): Promise<{ before: DeliveredAction[]; sync: SyncEvent }>;
  close(): void;
}

/**
 * Connects as a browser resuming from a cursor does, `io(url, { auth: { token, cursor } })`,
 * with the testkit's `connectWithSync` (it records from the first packet: replayed messages
 * arrive right after the connection). The caller closes it.
 */
export function connectResuming(
  url: string,
  auth: { token: string; cursor?: Cursor },
): ResumingSocket {
  const synced = connectWithSync<SyncEvent>(url, auth);
  // Rejections surface through firstSync(); none is left unhandled meanwhile.
  synced.catch(() => undefined);
  let events: Array<{ event: string; args: unknown[] }> = [];
  synced.then(
    (socket) => {
      events = socket.events;
    },
    () => undefined,
  );
  return {
    received: () => deliveredActions(events),
    async firstSync() {
      const { replayed, sync } = await synced;
      return { before: deliveredActions(replayed), sync };
    },
    close: () => {
      synced.then(
        ({ socket }) => socket.disconnect(),
        () => undefined,
      );
    },
  };
}
