import type { Cursor } from '@postbode/protocol/core';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { type Logger, silentLogger } from './logger.js';
import type { ResyncHandler } from './realtime-client.js';

/** A socket.io transport name. */
export type Transport = 'websocket' | 'polling' | 'webtransport';

interface CommonOptions {
  /**
   * The gateway's URL, e.g. `https://realtime.example.com` (a path other than `/socket.io` goes
   * in `socketOptions.path`).
   */
  url: string;
  /**
   * Transports in the order to try them.
   * @default ['websocket', 'polling'] (WebSocket, falling back to long-polling)
   */
  transports?: Transport[];
  /**
   * Connect as soon as the client is created; with `false`, call `connect()` yourself.
   * @default true
   */
  autoConnect?: boolean;
  /**
   * Passed to socket.io-client's `io()` as they are, after the client's own (`auth`,
   * `autoConnect` and `transports` are the client's and are ignored here). Reconnection backoff
   * is tuned with `reconnectionDelay`, `reconnectionDelayMax` and `randomizationFactor`.
   * @default {}
   */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Where to report refused tokens, invalid payloads and handlers that threw.
   * @default silentLogger (says nothing; pass `console` in development)
   */
  logger?: Logger;
  /**
   * Check each incoming payload against its action's schema (the protocol's compiled validators,
   * loaded on demand) and report invalid ones through the logger instead of calling handlers.
   * For development: the gateway already validates what it delivers.
   * @default false
   */
  validate?: boolean;
  /**
   * How many recent message ids to remember for de-duplication (a message whose `meta.id` was
   * seen is dropped); 0 turns it off.
   * @default 1000
   */
  dedupeWindow?: number;
  /**
   * Where to resume from on the first connection: the cursor the backend read when it rendered
   * the page (PHP `json_encode($publisher->cursor())`), so that what is published between the
   * page's queries and the connection is received too. Later connections resume from the
   * client's own cursor. `null` (a page rendered without one) is the same as absent.
   * @default undefined (the first connection starts live, with `no_cursor`)
   */
  cursor?: Cursor | null;
  /**
   * Called when messages may have been missed and the app must refetch its state from its API:
   * a reconnection that could not be recovered, or history lost under a live connection. The
   * same as `client.onResync(handler)` right after creation.
   * @default undefined
   */
  onResync?: ResyncHandler;
  /**
   * How many `send()`s may wait for a connection; one more is rejected with `UNAVAILABLE`.
   * @default 100
   */
  maxQueuedEvents?: number;
  /**
   * How long a `send()` waits for the gateway's acknowledgement while connected, in ms; then it
   * is rejected with `UNAVAILABLE`.
   * @default 10000
   */
  ackTimeoutMs?: number;
}

/** Options with a fixed `token` (and optionally `getToken` for every later connection). */
export interface StaticTokenOptions extends CommonOptions {
  /** The JWT for the first connection. Without `getToken`, also for every reconnection. */
  token: string;
  /**
   * Returns a fresh JWT; called on every (re)connection after the first, and when the gateway
   * says the token expired. Without it, an expired or refused token ends in `unauthorized`.
   */
  getToken?: () => Promise<string>;
}

/** Options with `getToken` alone: it is called for every connection, the first included. */
export interface TokenProviderOptions extends CommonOptions {
  /** A JWT for the first connection; when absent, `getToken()` provides it. */
  token?: string;
  /** Returns a fresh JWT; called on every (re)connection and when the gateway says it expired. */
  getToken: () => Promise<string>;
}

/** Options of {@link createRealtimeClient}: a `url`, and a `token`, a `getToken`, or both. */
export type RealtimeClientOptions = StaticTokenOptions | TokenProviderOptions;

/** The defaults of the optional {@link RealtimeClientOptions}, merged once by the factory. */
export const DEFAULT_REALTIME_CLIENT_OPTIONS = Object.freeze({
  transports: ['websocket', 'polling'] as Transport[],
  autoConnect: true,
  socketOptions: {} as Partial<ManagerOptions & SocketOptions>,
  logger: silentLogger,
  validate: false,
  dedupeWindow: 1000,
  maxQueuedEvents: 100,
  ackTimeoutMs: 10_000,
});
