/** A token bucket: `burst` tokens, refilled continuously at `refillPerSecond`, up to `burst`. */
export interface TokenBucket {
  /** Takes one token when there is one; false when the bucket is empty. */
  take(now: number): boolean;
}

/**
 * Creates a full token bucket. Time is passed in (milliseconds), so one clock read serves every
 * bucket a packet touches.
 *
 * @example
 * const bucket = createTokenBucket(10, 2);
 * if (!bucket.take(Date.now())) refuse('RATE_LIMITED');
 */
export function createTokenBucket(burst: number, refillPerSecond: number): TokenBucket {
  let tokens = burst;
  let at: number | undefined;
  return {
    take(now) {
      if (at !== undefined)
        tokens = Math.min(burst, tokens + ((now - at) / 1000) * refillPerSecond);
      at = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
