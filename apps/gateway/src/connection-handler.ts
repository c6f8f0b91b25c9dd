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
  // The timer that disconnects each socket when its token expires (kept off `socket.data`,
  // which adapters may serialise).
  const expiries = new WeakMap<Socket, NodeJS.Timeout>();

  // One function each for every socket, with the socket as an argument or `this`: no closures
  // per socket (they add up to hundreds of bytes on each of tens of thousands of sockets).
  const expire = (socket: Socket): void => {
    const event: ErrorEvent = {
      code: 'TOKEN_EXPIRED',
      message: 'token has expired; reconnect with a new one',
    };
    // Emitted before the disconnect packet, on the same connection, so it arrives first.
    socket.emit(ERROR_EVENT, event);
    socket.disconnect(true);
  };
  const arm = (socket: Socket, expiresAt: number): void => {
    const wait = expiresAt - Date.now();
    expiries.set(
      socket,
      wait > MAX_TIMER_MS
        ? setTimeout(arm, MAX_TIMER_MS, socket, expiresAt)
        : setTimeout(expire, Math.max(0, wait), socket),
    );
  };
  function onDisconnect(this: Socket, reason: string): void {
    clearTimeout(expiries.get(this));
    expiries.delete(this);
    metrics.socketsConnected.dec();
    if (logger.isLevelEnabled('debug')) {
      const { claims } = this.data as SocketData;
      logger.debug({ sub: claims.sub, site: claims.site, reason }, 'socket disconnected');
    }
  }

  return (socket: Socket): void => {
    const { claims } = socket.data as SocketData;
    socket.join(
      claims.roles.length === 0
        ? [siteRoom(claims.site), userRoom(claims.site, claims.sub)]
        : [
            siteRoom(claims.site),
            userRoom(claims.site, claims.sub),
            ...claims.roles.map((role) => roleRoom(claims.site, role)),
          ],
    );
    metrics.connections.inc();
    metrics.socketsConnected.inc();
    arm(socket, (claims.exp + clockToleranceSeconds) * 1000);
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
