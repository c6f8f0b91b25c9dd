import type { Meta, PayloadOf, ServerActionName } from '@postbode/protocol';
import type { Socket } from 'socket.io-client';
import type { ConnectionStatus } from './connection-status.js';
import type { Logger } from './logger.js';
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
  /** Connects, unless connected or already on the way. Also the way out of `unauthorized`. */
  connect(): void;
  /** Closes the connection; status `disconnected` until `connect()`. Handlers stay registered. */
  disconnect(): void;
}
