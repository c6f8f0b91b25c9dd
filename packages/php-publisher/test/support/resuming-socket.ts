import { type Cursor, SYNC_EVENT, type SyncEvent } from '@postbode/protocol/core';
import { waitUntil } from '@postbode/testkit';
import { io } from 'socket.io-client';
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
 * recording every event from the first packet on: replayed messages arrive right after the
 * connection, before a listener added once `connect` fired could see them (so the socket is
 * created with `autoConnect: false`, recorded, then connected). The caller closes it.
 */
export function connectResuming(url: string, auth: { token: string; cursor?: Cursor }) {
  const socket = io(url, { auth, autoConnect: false, reconnection: false, forceNew: true });
  const events: Array<{ event: string; args: unknown[] }> = [];
  let refused: Error | undefined;
  socket.onAny((event: string, ...args: unknown[]) => {
    events.push({ event, args });
  });
  socket.on('connect_error', (error) => {
    refused = error;
  });
  socket.connect();
  const resuming: ResumingSocket = {
    received: () => deliveredActions(events),
    async firstSync() {
      const at = await waitUntil(
        () => {
          if (refused !== undefined) throw refused;
          const index = events.findIndex((e) => e.event === SYNC_EVENT);
          return index >= 0 ? index + 1 : undefined;
        },
        { description: `the first ${SYNC_EVENT}` },
      );
      return {
        before: deliveredActions(events.slice(0, at - 1)),
        sync: events[at - 1]?.args[0] as SyncEvent,
      };
    },
    close: () => {
      socket.disconnect();
    },
  };
  return resuming;
}
