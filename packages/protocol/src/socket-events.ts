import type { NormalizedClaims } from './claims.js';
import type { ErrorEvent } from './core/error-shape.js';
import type { UnwatchAck, WatchAck, WatchRequest } from './core/presence.js';
import type {
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

/**
 * Every event a client may emit to the gateway (socket.io's `ClientToServerEvents`). The gateway
 * validates each at its edge: what a client sends is untrusted whatever these types say.
 */
export type ClientToServerEvents = {
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
