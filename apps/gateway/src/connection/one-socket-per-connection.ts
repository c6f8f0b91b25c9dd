import type { ExtendedError } from 'socket.io';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeServer, PostbodeSocket } from './socket-types.js';

/** Further CONNECTs refused on one connection before the connection itself is closed. */
export const MAX_REFUSED_CONNECTS = 3;

/** What is read of socket.io 4.8's namespace: the sockets whose middlewares are still running. */
interface PreConnectNamespace {
  readonly _preConnectSockets?: Map<string, PostbodeSocket>;
}

/**
 * The first middleware: one socket per Engine.IO connection. socket.io creates a socket for
 * every CONNECT packet that arrives while the first is still authenticating (its client maps
 * the namespace only once a middleware chain has finished), so a burst of CONNECTs with one
 * valid token gave hundreds of sockets on one WebSocket, and every message was written to it
 * hundreds of times (issue 16). A further CONNECT while the connection has a live or
 * authenticating socket gets `connect_error` `RATE_LIMITED` and is counted
 * (`postbode_connection_refusals_total{reason="second_socket"}`); after
 * {@link MAX_REFUSED_CONNECTS} such refusals the connection is closed. A socket that was
 * refused or has disconnected frees its connection for the next CONNECT (the SDK reconnects
 * that way after a refused token).
 */
export function oneSocketPerConnection(
  io: PostbodeServer,
  metrics: GatewayMetrics,
  logger: Logger,
) {
  const namespace = io.of('/');
  const preConnect = (namespace as unknown as PreConnectNamespace)._preConnectSockets;
  const holders = new WeakMap<object, PostbodeSocket>();
  const refused = new WeakMap<object, number>();
  const alive = (socket: PostbodeSocket): boolean =>
    namespace.sockets.get(socket.id) === socket || preConnect?.get(socket.id) === socket;

  return (socket: PostbodeSocket, next: (err?: ExtendedError) => void): void => {
    const client = socket.client;
    const holder = holders.get(client);
    if (holder === undefined || holder === socket || !alive(holder)) {
      holders.set(client, socket);
      next();
      return;
    }
    metrics.connectionRefusals.inc({ reason: 'second_socket' });
    const count = (refused.get(client) ?? 0) + 1;
    refused.set(client, count);
    if (count === MAX_REFUSED_CONNECTS + 1) {
      logger.info(
        { address: socket.handshake.address, refused: count },
        'connection closed: it kept sending CONNECT packets while it had a socket',
      );
      socket.conn.close();
    }
    // Always answered: socket.io releases a refused socket only once its chain has ended (on a
    // closed connection it drops the answer and cleans the socket up).
    const message = 'this connection already has a socket: one socket per connection';
    const err: ExtendedError = new Error(message);
    err.data = { code: 'RATE_LIMITED', message };
    next(err);
  };
}
