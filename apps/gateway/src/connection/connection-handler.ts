import { roomsOfClaims } from '../addressing/rooms.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeSocket } from './socket-types.js';
import { createTokenExpiry } from './token-expiry.js';

/** Options of {@link handleConnection}. */
export interface ConnectionHandlerOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /** Seconds after `exp` at which a socket is disconnected (the verifier's clock tolerance). */
  clockToleranceSeconds: number;
}

/**
 * Sets up an authenticated socket: joins the rooms of its claims, and disconnects it when its
 * token expires (see token-expiry.ts).
 */
export function handleConnection(options: ConnectionHandlerOptions) {
  const { metrics, logger, clockToleranceSeconds } = options;
  const expiry = createTokenExpiry();

  // Shared by every socket, with the socket as `this`: no closure per socket.
  function onDisconnect(this: PostbodeSocket, reason: string): void {
    expiry.clear(this);
    metrics.socketsConnected.dec();
    if (logger.isLevelEnabled('debug')) {
      const { claims } = this.data;
      logger.debug({ sub: claims.sub, site: claims.site, reason }, 'socket disconnected');
    }
  }

  return (socket: PostbodeSocket): void => {
    const { claims } = socket.data;
    socket.join(roomsOfClaims(claims));
    metrics.connections.inc();
    metrics.socketsConnected.inc();
    expiry.arm(socket, (claims.exp + clockToleranceSeconds) * 1000);
    // socket.io emits 'disconnect' once per socket.
    socket.on('disconnect', onDisconnect);
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        { sub: claims.sub, site: claims.site, transport: socket.conn.transport.name },
        'socket connected',
      );
    }
  };
}
