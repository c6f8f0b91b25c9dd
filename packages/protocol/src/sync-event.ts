import Type from 'typebox';
import { SYNC_REASONS, type SyncEvent as SyncEventShape, type SyncReason } from './core/sync.js';
import { MAX_EPOCH_LENGTH } from './cursor.js';
import { OPEN_ENUM_KEYWORD } from './schema-keywords.js';

/**
 * The payload of `postbode:sync` (DESIGN contract 6), from the core's types and its
 * `SYNC_REASONS` table. `reason` is an open enum: a client that meets a reason it does not know
 * treats it as what `recovered: false` says, history was missed. Its static type is the core's
 * `SyncEvent` (a type-level test holds the two together).
 */
export const SyncEvent = Type.Object(
  {
    epoch: Type.String({
      minLength: 1,
      maxLength: MAX_EPOCH_LENGTH,
      description: "The name of the stream's history.",
    }),
    offset: Type.String({
      minLength: 3,
      description: 'Where the socket is live from; always a valid cursor for the next connection.',
    }),
    recovered: Type.Boolean({
      description: 'True when every message after the cursor was replayed (none was missed).',
    }),
    replayed: Type.Integer({
      minimum: 0,
      description: 'How many messages were replayed before this event.',
    }),
    reason: Type.Optional(
      Type.Enum(Object.keys(SYNC_REASONS) as SyncReason[], {
        description: 'Why not recovered (absent when recovered).',
        [OPEN_ENUM_KEYWORD]: true,
      }),
    ),
  },
  { description: 'Where a socket is live from after a (re)connection (postbode:sync).' },
);

/** The payload of `postbode:sync`. */
export type SyncEvent = SyncEventShape;
