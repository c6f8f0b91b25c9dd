import type { ErrorCode } from '@postbode/protocol';

/** Options of {@link RealtimeError}. */
export interface RealtimeErrorOptions {
  /** The underlying error, if any (e.g. what `getToken()` threw). */
  cause?: unknown;
}

/**
 * The client's one error class: a code from the protocol's `ERROR_CODES` table (the gateway's
 * own codes, e.g. `UNAUTHORIZED`, `TOKEN_EXPIRED`, `INVALID_PAYLOAD`) and a message that says
 * what went wrong. Never contains a token.
 *
 * It mirrors the protocol's `PostbodeError` instead of importing it: that module pulls the
 * TypeBox runtime (~20 kB gzip) into the browser bundle, and the SDK uses the protocol for
 * types only (validation is loaded lazily).
 *
 * @example
 * client.onStatus((status, error) => {
 *   if (status === 'unauthorized' && error?.code === 'TOKEN_EXPIRED') location.reload();
 * });
 */
export class RealtimeError extends Error {
  /** What kind of error this is; stable, safe to branch on. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: RealtimeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RealtimeError';
    this.code = code;
  }
}
