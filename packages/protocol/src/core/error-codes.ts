/**
 * Every error code Postbode uses, on the wire (`connect_error.data.code`, `postbode:error`),
 * in logs, metrics labels and HTTP bodies, with what it means. The table is the documentation.
 */
export const ERROR_CODES = {
  UNAUTHORIZED: 'The token is missing, malformed, wrongly signed, or its claims are not valid.',
  TOKEN_EXPIRED: 'The token has expired; fetch a new one and reconnect.',
  INVALID_JSON: 'The message is not valid JSON.',
  INVALID_ENVELOPE: 'The message is JSON but not an envelope (see the Envelope schema).',
  UNKNOWN_ACTION: 'The envelope names an action that is not in the protocol registry.',
  INVALID_PAYLOAD: "The envelope's data does not match its action's payload schema.",
  EMPTY_AUDIENCE: 'The envelope addresses nobody: no users, no roles and not all.',
  TOO_LARGE: 'The message is larger than the configured limit.',
  RATE_LIMITED: 'Too many requests; slow down.',
  UNAVAILABLE: 'The message bus is not connected right now; try again.',
  NOT_FOUND: 'No such endpoint, or it is disabled by configuration.',
  INVALID_CONFIG: 'A setting (an environment variable) is missing or malformed.',
  INTERNAL: 'An unexpected error inside Postbode; it has been logged.',
} as const satisfies Record<string, string>;

/** An error code: one key of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is one of the {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
