import type { NormalizedClaims } from './claims.js';
import type { ErrorEvent } from './core/error-shape.js';
import type { ERROR_EVENT, SYNC_EVENT } from './core/reserved-events.js';
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

/** Every event a client may emit to the gateway (socket.io's `ClientToServerEvents`); none yet. */
export type ClientToServerEvents = Record<never, never>;

/** What the gateway keeps on each authenticated socket (socket.io's `SocketData`). */
export interface SocketData {
  /** The socket's verified, normalised token claims. */
  claims: NormalizedClaims;
}
