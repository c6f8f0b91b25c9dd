import Type from 'typebox';
import { SiteName } from './primitives.js';

/**
 * The second argument of every delivered event: the message id, its publish time and site.
 * Open to new fields (a recovery `offset` is planned), so clients must ignore unknown ones.
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
  },
  { description: 'Metadata delivered with every action.' },
);

/** Metadata delivered with every action. */
export type Meta = Type.Static<typeof Meta>;
