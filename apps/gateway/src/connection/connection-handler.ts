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
  /** Replays what the socket missed, tells it where it is live from, joins its rooms. */
  startDelivery(socket: PostbodeSocket): void;
  /** Registers the socket's client event handlers (`postbode:event`, contract 8). */
  registerClientEvents(socket: PostbodeSocket): void;
}

/**
 * Sets up an authenticated socket: starts its delivery (replay, sync, rooms: resume.ts), and
 * disconnects it when its token expires (token-expiry.ts).
 */
export function handleConnection(options: ConnectionHandlerOptions) {
  const { metrics, logger, clockToleranceSeconds, startDelivery, registerClientEvents } = options;
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
    registerClientEvents(socket);
    startDelivery(socket);
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
