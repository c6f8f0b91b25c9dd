import Type from 'typebox';
import type { ErrorEvent as ErrorEventShape } from './core/error-shape.js';
import { ErrorCode } from './error-code.js';

/**
 * The payload of `postbode:error`, and the `data` of a refused connection's `connect_error`.
 * Its static type is the core's `ErrorEvent` (a type-level test holds the two together).
 */
export const ErrorEvent = Type.Object(
  {
    code: ErrorCode,
    message: Type.Optional(Type.String({ description: 'What went wrong, for logs.' })),
  },
  { description: 'An error the gateway reports to one socket.' },
);

/** The payload of `postbode:error`. */
export type ErrorEvent = ErrorEventShape;
