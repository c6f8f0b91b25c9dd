import Type from 'typebox';
import { Audience, type NormalizedAudience } from './audience.js';
import { MAX_ID_LENGTH, SiteName } from './primitives.js';
import type { PayloadOf, ServerActionName } from './server-actions.js';

/**
 * What the backend publishes on the Redis channel (or `POST /publish`). `data` is checked
 * against the payload schema of `action` by {@link parseEnvelope}. Unknown top-level
 * properties are rejected, not stripped: a typo such as `too` for `to` is a bug at the source.
 */
export const Envelope = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 128, description: 'A server action name.' }),
    data: Type.Unknown({ description: "The action's payload." }),
    to: Audience,
    site: Type.Optional(SiteName),
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_ID_LENGTH,
        description: 'The message id; assigned by the gateway when absent.',
      }),
    ),
    ts: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Publish time in ms since the epoch.' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A message for browsers, as the backend publishes it.',
  },
);

/** An envelope as published. */
export type Envelope = Type.Static<typeof Envelope>;

/** A validated, normalised envelope of one action (what {@link parseEnvelope} returns). */
export interface EnvelopeOf<A extends ServerActionName> {
  action: A;
  data: PayloadOf<A>;
  to: NormalizedAudience;
  site: string;
  id?: string;
  ts?: number;
}

/** A validated, normalised envelope of any action; switch on `action` to narrow `data`. */
export type AnyEnvelope = { [A in ServerActionName]: EnvelopeOf<A> }[ServerActionName];
