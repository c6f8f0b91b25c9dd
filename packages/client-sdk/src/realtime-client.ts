import type {
  ClientActionName,
  ClientPayloadOf,
  Meta,
  PayloadOf,
  ServerActionName,
} from '@postbode/protocol';
import type { Cursor, SyncReason } from '@postbode/protocol/core';
import type { Socket } from 'socket.io-client';
import type { SendOptions, SendResult } from './client-event-sender.js';
import type { ConnectionStatus } from './connection-status.js';
import type { Logger } from './logger.js';
import type { PresenceHandler, PresenceWatch } from './presence-watcher.js';
import type { RealtimeError } from './realtime-error.js';

/** A handler of one action: its payload, typed from the protocol, and the message's metadata. */
export type ActionHandler<A extends ServerActionName> = (data: PayloadOf<A>, meta: Meta) => void;

/**
 * One delivered action, as {@link AnyActionHandler} receives it: checking `action` narrows
 * `data` (`if (event.action === 'message.created') event.data.body`).
 */
export type ActionEvent = {
  [A in ServerActionName]: { action: A; data: PayloadOf<A>; meta: Meta };
}[ServerActionName];

/** A handler of every action. */
export type AnyActionHandler = (event: ActionEvent) => void;

/** A status listener; `error` says why, for `unauthorized` and for token-driven reconnects. */
export type StatusHandler = (status: ConnectionStatus, error: RealtimeError | undefined) => void;

/**
 * A resync listener: messages may have been missed (`reason` says why, one of the protocol's
 * `SYNC_REASONS`), so the app refetches its state from its API.
 */
export type ResyncHandler = (reason: SyncReason) => void;

/** The last resync, as the Vuex module and the Pinia store keep it. */
export interface LastResync {
  /** Why messages may have been missed. */
  reason: SyncReason;
  /** When the client was told (ms since the epoch). */
  at: number;
}

/** Removes the handler it was returned for. Safe to call more than once. */
export type Unsubscribe = () => void;

/** A typed connection to the Postbode gateway, made by {@link createRealtimeClient}. */
export interface RealtimeClient {
  /** Where the connection stands now. */
  readonly status: ConnectionStatus;
  /** The last error that affected the connection (refused or expired token), if any. */
  readonly lastError: RealtimeError | undefined;
  /** The logger the client was created with; adapters report through it too. */
  readonly logger: Logger;
  /**
   * Where the client is in the durable history: the last message's `meta.offset` in the epoch
   * of the last `postbode:sync`. Sent on every reconnection to receive what was missed; a
   * message at or before it is dropped as seen. Undefined until the first sync when no
   * `cursor` option was given.
   */
  readonly cursor: Cursor | undefined;
  /** The underlying socket.io socket, for what the client does not cover. */
  readonly socket: Socket;
  /** Calls `handler` for every delivered `action` until the returned function is called. */
  on<A extends ServerActionName>(action: A, handler: ActionHandler<A>): Unsubscribe;
  /** Calls `handler` for the next delivered `action` only. */
  once<A extends ServerActionName>(action: A, handler: ActionHandler<A>): Unsubscribe;
  /** Removes `handler` from `action`, or every handler of `action` when none is given. */
  off<A extends ServerActionName>(action: A, handler?: ActionHandler<A>): void;
  /** Calls `handler` for every delivered action, after the handlers of that action. */
  onAny(handler: AnyActionHandler): Unsubscribe;
  /** Calls `handler` on every status change (not with the current status: read `status`). */
  onStatus(handler: StatusHandler): Unsubscribe;
  /**
   * Calls `handler` when messages may have been missed and the app must refetch: a
   * reconnection with a cursor that was not recovered, or a later `postbode:sync` that says
   * history was lost. Never for a first connection without a cursor.
   */
  onResync(handler: ResyncHandler): Unsubscribe;
  /**
   * Sends a client action (contract 8: `message.delivered`, `message.read`, `typing`), typed
   * from the protocol. Resolves with its id once the gateway acknowledged it (for a receipt:
   * Redis holds it); rejects with a `RealtimeError` whose code says why (`INVALID_PAYLOAD`,
   * `RATE_LIMITED`, `UNAVAILABLE`, ...). While disconnected it waits in a bounded queue and is
   * sent, with the same id, once connected.
   *
   * @example
   * await client.send('message.read', { conversationId: 'c-9', lastReadMessageId: 'm-2' });
   */
  send<A extends ClientActionName>(
    action: A,
    data: ClientPayloadOf<A>,
    options?: SendOptions,
  ): Promise<SendResult>;
  /**
   * Watches the presence of users of the client's site (contract 7): `handler` gets each
   * user's state from the snapshot, then every change (coalesced by the gateway, never lost).
   * Sent again after every reconnection; `stop()` on the returned watch ends it. At most 1000
   * users are watched at once (`PRESENCE_WATCH_LIMIT`).
   *
   * @example
   * const watch = client.watchPresence(['7', '42'], ({ userId, online, lastSeenAt }) => {
   *   console.log(userId, online ? 'online' : `last seen ${lastSeenAt}`);
   * });
   * watch.stop();
   */
  watchPresence(userIds: readonly string[], handler?: PresenceHandler): PresenceWatch;
  /** Calls `handler` for every presence update of every watched user (what the adapters keep). */
  onPresence(handler: PresenceHandler): Unsubscribe;
  /** Connects, unless connected or already on the way. Also the way out of `unauthorized`. */
  connect(): void;
  /** Closes the connection; status `disconnected` until `connect()`. Handlers stay registered. */
  disconnect(): void;
}
