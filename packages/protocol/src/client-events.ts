import Type from 'typebox';
import { ErrorCode } from './error-code.js';

/** The event the gateway emits to a socket about that socket (e.g. its token expired). */
export const ERROR_EVENT = 'postbode:error';

/** The payload of {@link ERROR_EVENT}, and the `data` of a refused connection's `connect_error`. */
export const ErrorEvent = Type.Object(
  {
    code: ErrorCode,
    message: Type.Optional(Type.String({ description: 'What went wrong, for logs.' })),
  },
  { description: 'An error the gateway reports to one socket.' },
);

/** The payload of {@link ERROR_EVENT}. */
export type ErrorEvent = Type.Static<typeof ErrorEvent>;
