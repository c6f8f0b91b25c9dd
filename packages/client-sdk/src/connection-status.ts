/**
 * Where the connection stands:
 * - `disconnected`: not connected because the app said so (`disconnect()`, or `autoConnect: false`
 *   before `connect()`), or because socket.io ran out of a finite `reconnectionAttempts`;
 * - `connecting`: the first connection is being made (its first attempt);
 * - `connected`: live: the gateway's `postbode:sync` arrived (after any replayed messages), so
 *   messages flow and `client.cursor` is set;
 * - `reconnecting`: the connection was lost (gateway restart, network, expired token), or an
 *   attempt failed (the gateway is unreachable or refuses the page's origin: `lastError` is
 *   `UNAVAILABLE` and names the URL), and the client is trying again, with backoff and jitter;
 * - `unauthorized`: the gateway refused the token and there is no `getToken`, or `getToken`
 *   failed, or it kept returning expired tokens. Final until `connect()` is called again.
 */
export type ConnectionStatus =
  | 'disconnected'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'unauthorized';

/** Every {@link ConnectionStatus}, for UIs that list them. */
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = Object.freeze([
  'disconnected',
  'connecting',
  'connected',
  'reconnecting',
  'unauthorized',
]);
