import Type from 'typebox';
import type {
  ClientEventAck as ClientEventAckShape,
  ClientEventShape,
} from './core/client-event-ack.js';
import { ErrorCode } from './error-code.js';
import { MAX_ID_LENGTH } from './primitives.js';

/**
 * What a client emits with `postbode:event` (contract 8). `data` is checked separately, against
 * the schema of the client action `action` names.
 */
export const ClientEvent = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 64, description: 'A client action name.' }),
    data: Type.Object({}, { description: "The payload, as the action's schema says." }),
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_ID_LENGTH,
        description: 'An idempotency id; the gateway assigns one when absent.',
      }),
    ),
  },
  { description: 'A client action sent with `postbode:event`, acknowledged.' },
);

/** What a client emits with `postbode:event`. */
export type ClientEvent = ClientEventShape;

/** The acknowledgement of `postbode:event`. */
export const ClientEventAck = Type.Union(
  [
    Type.Object({ ok: Type.Literal(true), id: Type.String({ minLength: 1 }) }),
    Type.Object({
      ok: Type.Literal(false),
      error: Type.Object({ code: ErrorCode, message: Type.String() }),
    }),
  ],
  { description: 'The answer to `postbode:event`: accepted with its id, or refused with a code.' },
);

/** The acknowledgement of `postbode:event` (the core's `ClientEventAck`). */
export type ClientEventAck = ClientEventAckShape;
