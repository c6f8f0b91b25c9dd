import type { NormalizedClaims } from './claims.js';
import type { ClientActionName, ClientPayloadOf } from './client-actions.js';
import type { ClientEventAck } from './core/client-event-ack.js';
import type { ErrorEvent } from './core/error-shape.js';
import type { UnwatchAck, WatchAck, WatchRequest } from './core/presence.js';
import type {
  CLIENT_EVENT,
  ERROR_EVENT,
  SYNC_EVENT,
  UNWATCH_EVENT,
  WATCH_EVENT,
} from './core/reserved-events.js';
import type { SyncEvent } from './core/sync.js';
import type { Meta } from './meta.js';
import type { PayloadOf, ServerActionName } from './server-actions.js';

/**
 * Every event the gateway emits to a socket, as socket.io's `ServerToClientEvents` map: one
 * per server action (its payload and the message's {@link Meta}) and the reserved events.
 *
 * @example
 * const io = new Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>(http);
 */
export type ServerToClientEvents = {
  [A in ServerActionName]: (data: PayloadOf<A>, meta: Meta) => void;
} & {
  [ERROR_EVENT]: (event: ErrorEvent) => void;
  [SYNC_EVENT]: (event: SyncEvent) => void;
};

/** A `postbode:event` of one client action: its name, typed payload and optional id. */
export type ClientEventOf<A extends ClientActionName = ClientActionName> = {
  [K in A]: { action: K; data: ClientPayloadOf<K>; id?: string };
}[A];

/**
 * Every event a client may emit to the gateway (socket.io's `ClientToServerEvents`). The gateway
 * validates each at its edge: what a client sends is untrusted whatever these types say.
 */
export type ClientToServerEvents = {
  /** A client action (contract 8), answered with a {@link ClientEventAck}. */
  [CLIENT_EVENT]: (event: ClientEventOf, ack: (answer: ClientEventAck) => void) => void;
  /** Watch users' presence (contract 7); the ack holds the snapshot or the refusal. */
  [WATCH_EVENT]: (request: WatchRequest, ack: (answer: WatchAck) => void) => void;
  /** Stop watching users' presence; `{ ok: true }` when an ack is given. */
  [UNWATCH_EVENT]: (request: WatchRequest, ack?: (answer: UnwatchAck) => void) => void;
};

/** What the gateway keeps on each authenticated socket (socket.io's `SocketData`). */
export interface SocketData {
  /** The socket's verified, normalised token claims. */
  claims: NormalizedClaims;
}
