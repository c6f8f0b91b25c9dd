import type { NormalizedClaims } from '@postbode/protocol';
import type { ExtendedError } from 'socket.io';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeSocket } from './socket-types.js';

/** Options of {@link createUserSocketLimit}. */
export interface UserSocketLimitOptions {
  /** Most sockets of one user (site and sub) on this node; 0: no limit. */
  maxSocketsPerUser: number;
  metrics: GatewayMetrics;
}

/** The per-user socket cap: a middleware after authentication, and the count it reads. */
export interface UserSocketLimit {
  /** Refuses the handshake with `connect_error` `RATE_LIMITED` when the user is at the cap. */
  middleware(socket: PostbodeSocket, next: (err?: ExtendedError) => void): void;
  /** Counts a connected socket until it disconnects (a `connection` listener). */
  track(socket: PostbodeSocket): void;
}

const userKey = (claims: NormalizedClaims): string => `${claims.site}\u0000${claims.sub}`;

/**
 * Caps the sockets one user may hold on this node (`POSTBODE_MAX_SOCKETS_PER_USER`): one valid
 * token must not be enough to hold thousands of sockets. Checked at the handshake against the
 * connected sockets, so handshakes of one user that run at the same moment may pass it by a few.
 */
export function createUserSocketLimit(options: UserSocketLimitOptions): UserSocketLimit {
  const { maxSocketsPerUser: max, metrics } = options;
  const counts = new Map<string, number>();

  // Shared by every socket, with the socket as `this`: no closure per socket.
  function release(this: PostbodeSocket): void {
    const key = userKey(this.data.claims);
    const count = (counts.get(key) ?? 1) - 1;
    if (count <= 0) counts.delete(key);
    else counts.set(key, count);
  }

  return {
    middleware(socket, next) {
      if (max === 0 || (counts.get(userKey(socket.data.claims)) ?? 0) < max) {
        next();
        return;
      }
      metrics.connectionRefusals.inc({ reason: 'user_limit' });
      const message = `this user already has ${max} sockets open (POSTBODE_MAX_SOCKETS_PER_USER); close one first`;
      const err: ExtendedError = new Error(message);
      err.data = { code: 'RATE_LIMITED', message };
      next(err);
    },
    track(socket) {
      if (max === 0) return;
      const key = userKey(socket.data.claims);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      socket.once('disconnect', release);
    },
  };
}
