/** Settings of {@link backoffDelay}; the same three numbers as socket.io's reconnection options. */
export interface BackoffSettings {
  /** First delay, in ms (socket.io's `reconnectionDelay`). */
  min: number;
  /** Longest delay, in ms (socket.io's `reconnectionDelayMax`). */
  max: number;
  /** Random spread, 0 to 1 (socket.io's `randomizationFactor`). */
  jitter: number;
}

/**
 * The delay before retry number `attempt` (0-based): exponential from `min`, capped at `max`,
 * spread by `jitter` so that thousands of browsers do not come back in the same millisecond.
 * The same formula socket.io uses for its own reconnections, for the retries the SDK decides
 * itself (after the server closed the socket, or refused it for a reason other than the token).
 */
export function backoffDelay(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const base = Math.min(settings.max, settings.min * 2 ** Math.min(attempt, 31));
  const spread = base * settings.jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(settings.max, Math.round(base + spread)));
}
