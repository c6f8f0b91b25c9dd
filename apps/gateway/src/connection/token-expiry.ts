import { ERROR_EVENT } from '@postbode/protocol';
import type { PostbodeSocket } from './socket-types.js';

/** setTimeout's largest delay (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Disconnects each socket when its token expires, after telling it so. */
export interface TokenExpiry {
  /** Arms the socket's timer for `expiresAt` (ms since the epoch). */
  arm(socket: PostbodeSocket, expiresAt: number): void;
  /** Clears the socket's timer (it disconnected). */
  clear(socket: PostbodeSocket): void;
}

/**
 * Creates the expiry timers: at expiry the socket gets `postbode:error` `TOKEN_EXPIRED` and is
 * disconnected by the server (so the SDK fetches a new token instead of retrying the old one).
 */
export function createTokenExpiry(): TokenExpiry {
  // Kept off `socket.data`, which adapters may serialise.
  const timers = new WeakMap<PostbodeSocket, NodeJS.Timeout>();

  // One function each for every socket, with the socket as an argument: no closures per socket
  // (they add up to hundreds of bytes on each of tens of thousands of sockets).
  const expire = (socket: PostbodeSocket): void => {
    // Emitted before the disconnect packet, on the same connection, so it arrives first.
    socket.emit(ERROR_EVENT, {
      code: 'TOKEN_EXPIRED',
      message: 'token has expired; reconnect with a new one',
    });
    socket.disconnect(true);
  };
  const arm = (socket: PostbodeSocket, expiresAt: number): void => {
    const wait = expiresAt - Date.now();
    timers.set(
      socket,
      wait > MAX_TIMER_MS
        ? setTimeout(arm, MAX_TIMER_MS, socket, expiresAt)
        : setTimeout(expire, Math.max(0, wait), socket),
    );
  };
  return {
    arm,
    clear(socket) {
      clearTimeout(timers.get(socket));
      timers.delete(socket);
    },
  };
}
