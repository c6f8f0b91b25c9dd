import type { Server as HttpServer } from 'node:http';
import type { PostbodeServer } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';

/** What {@link shutdown} stops. */
export interface ShutdownParts {
  io: PostbodeServer;
  httpServer: HttpServer;
  /** Stops reading the stream and the channel. */
  closeIngest(): Promise<void>;
  logger: Logger;
  /** How long to wait for connections to end before cutting them, in ms. */
  timeoutMs: number;
}

/**
 * Closes every socket's transport (clients see `transport close` and reconnect, elsewhere if
 * there is an elsewhere: a server-side disconnect would stop socket.io-client from
 * reconnecting), the HTTP server, then the ingest (stream and channel).
 */
export async function shutdown(parts: ShutdownParts): Promise<void> {
  const { io, httpServer, closeIngest, logger, timeoutMs } = parts;
  logger.info('shutting down: closing sockets so clients reconnect');
  const cut = setTimeout(() => httpServer.closeAllConnections(), timeoutMs);
  cut.unref();
  await new Promise<void>((resolve) => {
    io.close(() => resolve());
    httpServer.closeIdleConnections();
  });
  clearTimeout(cut);
  await closeIngest();
  logger.info('shut down');
}
