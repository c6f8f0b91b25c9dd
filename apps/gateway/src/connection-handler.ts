import { ERROR_EVENT, type ErrorEvent } from '@postbode/protocol';
import type { Socket } from 'socket.io';
import type { SocketData } from './auth/authenticate.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { roleRoom, siteRoom, userRoom } from './rooms.js';

/** setTimeout's largest delay (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of {@link handleConnection}. */
export interface ConnectionHandlerOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /** Seconds after `exp` at which a socket is disconnected (the verifier's clock tolerance). */
  clockToleranceSeconds: number;
}

/**
 * Sets up an authenticated socket: joins its site, user and role rooms, and disconnects it
 * when its token expires, after telling it so with `postbode:error` `TOKEN_EXPIRED`.
 */
export function handleConnection(options: ConnectionHandlerOptions) {
  const { metrics, logger, clockToleranceSeconds } = options;
  return (socket: Socket): void => {
    const { claims } = socket.data as SocketData;
    socket.join([
      siteRoom(claims.site),
      userRoom(claims.site, claims.sub),
      ...claims.roles.map((role) => roleRoom(claims.site, role)),
    ]);
    metrics.connections.inc();
    metrics.socketsConnected.inc();

    const expiresAt = (claims.exp + clockToleranceSeconds) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const wait = expiresAt - Date.now();
      if (wait > MAX_TIMER_MS) {
        timer = setTimeout(arm, MAX_TIMER_MS);
        return;
      }
      timer = setTimeout(
        () => {
          const event: ErrorEvent = {
            code: 'TOKEN_EXPIRED',
            message: 'token has expired; reconnect with a new one',
          };
          // Emitted before the disconnect packet, on the same connection, so it arrives first.
          socket.emit(ERROR_EVENT, event);
          socket.disconnect(true);
        },
        Math.max(0, wait),
      );
    };
    arm();

    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      metrics.socketsConnected.dec();
      logger.debug({ sub: claims.sub, site: claims.site, reason }, 'socket disconnected');
    });
    logger.debug(
      { sub: claims.sub, site: claims.site, transport: socket.conn.transport.name },
      'socket connected',
    );
  };
}
