/**
 * Where the client reports what it does not throw: refused tokens, invalid payloads, handlers
 * that threw. `console` fits, and so does a thin wrapper around pino or Sentry.
 */
export interface Logger {
  /** Routine events: connected, reconnecting, token refreshed. */
  debug(message: string, details?: Record<string, unknown>): void;
  /** Something went wrong but the client carries on: an invalid payload, a refused token. */
  warn(message: string, details?: Record<string, unknown>): void;
  /** A bug in the application: an event handler threw. */
  error(message: string, details?: Record<string, unknown>): void;
}

const ignore = (): void => {};

/** A logger that says nothing: the default, since a library never writes to the console by itself. */
export const silentLogger: Logger = Object.freeze({ debug: ignore, warn: ignore, error: ignore });
