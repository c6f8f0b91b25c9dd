import { type ErrorCode, isErrorCode } from './error-code.js';

/** Options of {@link PostbodeError}. */
export interface PostbodeErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of Postbode: a {@link ErrorCode} and a message that says what was wrong
 * and what was expected. Messages never contain a token, a secret or a payload body.
 *
 * @example
 * throw new PostbodeError('UNAUTHORIZED', 'token signature does not verify');
 */
export class PostbodeError extends Error {
  /** What kind of error this is; stable, safe to branch on. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: PostbodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PostbodeError';
    this.code = code;
  }

  /** Wraps anything thrown into a PostbodeError, keeping one that already is (and its code). */
  static from(cause: unknown, fallback: ErrorCode = 'INTERNAL'): PostbodeError {
    if (cause instanceof PostbodeError) return cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return new PostbodeError(isErrorCode(code) ? code : fallback, cause.message, { cause });
    }
    return new PostbodeError(fallback, String(cause), { cause });
  }
}
