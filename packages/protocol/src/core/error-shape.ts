import type { ErrorCode } from './error-codes.js';

/**
 * An error as plain, serialisable data: what kind ({@link ErrorCode}) and what went wrong. What
 * a store keeps of an error, and what the gateway sends about one.
 */
export interface ErrorShape {
  /** What kind of error this is; stable, safe to branch on. */
  code: ErrorCode;
  /** What was wrong and what was expected, for people and logs. */
  message: string;
}

/**
 * The payload of `postbode:error`, and the `data` of a refused connection's `connect_error`: an
 * {@link ErrorShape} whose message may be left out. The main entry's `ErrorEvent` schema
 * describes exactly this type.
 */
export interface ErrorEvent
  extends Pick<ErrorShape, 'code'>,
    Partial<Pick<ErrorShape, 'message'>> {}
