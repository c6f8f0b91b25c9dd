import { PostbodeError, type PostbodeErrorOptions } from '@postbode/protocol/core';

/** Options of {@link RealtimeError}. */
export type RealtimeErrorOptions = PostbodeErrorOptions;

/**
 * The client's one error class: the protocol's `PostbodeError` (from its TypeBox-free core)
 * under the name the SDK documents, so `instanceof PostbodeError` holds too. A code from the
 * protocol's `ERROR_CODES` table (the gateway's own codes, e.g. `UNAUTHORIZED`,
 * `TOKEN_EXPIRED`), a message that says what went wrong, and a `cause`. Never contains a token.
 *
 * @example
 * client.onStatus((status, error) => {
 *   if (status === 'unauthorized' && error?.code === 'TOKEN_EXPIRED') location.reload();
 * });
 */
export class RealtimeError extends PostbodeError {
  override name = 'RealtimeError';
}
