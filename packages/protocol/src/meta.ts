import Type from 'typebox';
import { SiteName } from './primitives.js';

/**
 * The second argument of every delivered event: the message id, its publish time and site.
 * `offset` is set on durable messages (contract 6). Open to new fields, so clients must ignore
 * unknown ones.
 */
export const Meta = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      description: 'The message id (assigned by the gateway when the publisher set none).',
    }),
    ts: Type.Integer({
      minimum: 0,
      description: 'Publish time in ms since the epoch (receive time when the publisher set none).',
    }),
    site: SiteName,
    offset: Type.Optional(
      Type.String({
        minLength: 3,
        description:
          'Position of a durable message in the stream (its entry id); absent for live-only messages. A client keeps the last one as its cursor.',
      }),
    ),
  },
  { description: 'Metadata delivered with every action.' },
);

/** Metadata delivered with every action. */
export type Meta = Type.Static<typeof Meta>;
