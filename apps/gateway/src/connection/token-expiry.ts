import { ERROR_EVENT } from '@postbode/protocol';
import type { PostbodeSocket } from './socket-types.js';

/** The wheel's resolution: a token is acted on within this long after it expires, in ms. */
export const EXPIRY_TICK_MS = 1000;

/** A gap of more ticks than this (a clock jump) is handled by scanning the buckets instead. */
const MAX_TICKS_WALKED = 3600;

/** Disconnects each socket when its token expires, after telling it so. */
export interface TokenExpiry {
  /** Schedules the socket's expiry at `expiresAt` (ms since the epoch). */
  arm(socket: PostbodeSocket, expiresAt: number): void;
  /** Forgets the socket (it disconnected). */
  clear(socket: PostbodeSocket): void;
}

/**
 * Creates the expiry wheel: at expiry (to the next second) the socket gets `postbode:error`
 * `TOKEN_EXPIRED` and is disconnected by the server (so the SDK fetches a new token instead of
 * retrying the old one). One timer for every socket, ticking only while some socket is armed:
 * a `setTimeout` per socket cost a timer object and a timer-list insertion per connection (the
 * connection storm's profile, issue 17).
 */
export function createTokenExpiry(): TokenExpiry {
  // Sockets by the tick their token expires in. The tick is kept off `socket.data`, which
  // adapters may serialise.
  const buckets = new Map<number, Set<PostbodeSocket>>();
  const tickOf = new WeakMap<PostbodeSocket, number>();
  let timer: NodeJS.Timeout | undefined;
  let doneUpTo = 0;

  const expire = (socket: PostbodeSocket): void => {
    tickOf.delete(socket);
    socket.emit(ERROR_EVENT, {
      code: 'TOKEN_EXPIRED',
      message: 'token has expired; reconnect with a new one',
    });
    socket.disconnect(true);
  };
  const expireBucket = (tick: number): void => {
    const bucket = buckets.get(tick);
    if (bucket === undefined) return;
    buckets.delete(tick);
    for (const socket of bucket) expire(socket);
  };
  const onTick = (): void => {
    const now = Math.floor(Date.now() / EXPIRY_TICK_MS);
    if (now - doneUpTo > MAX_TICKS_WALKED) {
      for (const tick of [...buckets.keys()]) if (tick <= now) expireBucket(tick);
    } else {
      for (let tick = doneUpTo + 1; tick <= now; tick++) expireBucket(tick);
    }
    doneUpTo = now;
    if (buckets.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    arm(socket, expiresAt) {
      if (timer === undefined) {
        doneUpTo = Math.floor(Date.now() / EXPIRY_TICK_MS);
        timer = setInterval(onTick, EXPIRY_TICK_MS);
        timer.unref();
      }
      // Rounded up, and never a tick already done: an expired token goes on the next tick.
      const tick = Math.max(Math.ceil(expiresAt / EXPIRY_TICK_MS), doneUpTo + 1);
      let bucket = buckets.get(tick);
      if (bucket === undefined) {
        bucket = new Set();
        buckets.set(tick, bucket);
      }
      bucket.add(socket);
      tickOf.set(socket, tick);
    },
    clear(socket) {
      const tick = tickOf.get(socket);
      if (tick === undefined) return;
      tickOf.delete(socket);
      const bucket = buckets.get(tick);
      if (bucket === undefined) return;
      bucket.delete(socket);
      if (bucket.size === 0) buckets.delete(tick);
    },
  };
}
