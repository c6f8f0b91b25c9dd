import { type ErrorCode, isErrorCode } from './error-codes.js';

/** Options of {@link PostbodeError}. */
export interface PostbodeErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of Postbode: a {@link ErrorCode} and a message that says what was wrong
 * and what was expected. Messages never contain a token, a secret or a payload body. Packages
 * that name it otherwise for their users (the client SDK's `RealtimeError`) extend it.
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

  /**
   * Wraps anything thrown into an error of this class, keeping one that already is (and the
   * code of an error that carries a known one). `RealtimeError.from(x)` gives a RealtimeError.
   */
  static from<E extends PostbodeError>(
    this: new (
      code: ErrorCode,
      message: string,
      options?: PostbodeErrorOptions,
    ) => E,
    cause: unknown,
    fallback: ErrorCode = 'INTERNAL',
  ): E {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class called, so a subclass wraps into itself.
    if (cause instanceof this) return cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return new this(isErrorCode(code) ? code : fallback, cause.message, { cause });
    }
    return new this(fallback, String(cause), { cause });
  }
}
