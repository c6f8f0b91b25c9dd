/** Reconnect delay: exponential from 50 ms to 2 s, with full jitter so nodes do not stampede. */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(2000, 50 * 2 ** Math.min(attempt, 6));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
