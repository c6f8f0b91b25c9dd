import Type from 'typebox';
import { ERROR_CODES, type ErrorCode as ErrorCodeName } from './core/error-codes.js';
import { OPEN_ENUM_KEYWORD } from './schema-keywords.js';

/** An error code: one key of the core's `ERROR_CODES`. */
export type ErrorCode = ErrorCodeName;

/**
 * The error codes as a schema (`{ enum: [...] }`), built from the core's `ERROR_CODES` table.
 * Open: clients treat a code they do not know as a failure with that code, so a new code breaks
 * no old browser.
 */
export const ErrorCode = Type.Enum(Object.keys(ERROR_CODES) as ErrorCode[], {
  description: 'A Postbode error code.',
  [OPEN_ENUM_KEYWORD]: true,
});
