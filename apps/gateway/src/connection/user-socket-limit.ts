import type { ExtendedError } from 'socket.io';
import { userRoom } from '../addressing/rooms.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeSocket } from './socket-types.js';

/** Options of {@link userSocketLimit}. */
export interface UserSocketLimitOptions {
  /** Most sockets of one user (site and sub) on this node; 0: no limit. */
  maxSocketsPerUser: number;
  /**
   * The socket ids in each room of the default namespace (socket.io's adapter `rooms`): every
   * connected socket is in its user's room (addressing/rooms.ts), so that room's size is the
   * user's socket count on this node, kept by socket.io at no cost of ours.
   */
  rooms: ReadonlyMap<string, ReadonlySet<string>>;
  metrics: GatewayMetrics;
}

/**
 * Caps the sockets one user may hold on this node (`POSTBODE_MAX_SOCKETS_PER_USER`): one valid
 * token must not be enough to hold thousands of sockets. A middleware after authentication:
 * refuses the handshake with `connect_error` `RATE_LIMITED` when the user's room already has
 * the maximum. Checked against the connected sockets, so handshakes of one user that run at
 * the same moment may pass it by a few.
 */
export function userSocketLimit(options: UserSocketLimitOptions) {
  const { maxSocketsPerUser: max, rooms, metrics } = options;
  return (socket: PostbodeSocket, next: (err?: ExtendedError) => void): void => {
    const { site, sub } = socket.data.claims;
    if (max === 0 || (rooms.get(userRoom(site, sub))?.size ?? 0) < max) {
      next();
      return;
    }
    metrics.connectionRefusals.inc({ reason: 'user_limit' });
    const message = `this user already has ${max} sockets open (POSTBODE_MAX_SOCKETS_PER_USER); close one first`;
    const err: ExtendedError = new Error(message);
    err.data = { code: 'RATE_LIMITED', message };
    next(err);
  };
}
