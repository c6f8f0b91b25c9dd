import Type from 'typebox';
import { ERROR_CODES, type ErrorCode as ErrorCodeName } from './core/error-codes.js';

/** An error code: one key of the core's `ERROR_CODES`. */
export type ErrorCode = ErrorCodeName;

/** The error codes as a schema (`{ enum: [...] }`), built from the core's `ERROR_CODES` table. */
export const ErrorCode = Type.Enum(Object.keys(ERROR_CODES) as ErrorCode[], {
  description: 'A Postbode error code.',
});
