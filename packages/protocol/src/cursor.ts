import Type from 'typebox';
import { MAX_EPOCH_LENGTH, STREAM_ID_PATTERN } from './core/offsets.js';
import type { Cursor as CursorShape } from './core/sync.js';

// The gateway answers a cursor whose offset does not match STREAM_ID_PATTERN, or whose epoch is
// longer than MAX_EPOCH_LENGTH, with `recovered: false`, `epoch`.
export { MAX_EPOCH_LENGTH, STREAM_ID_PATTERN };

/**
 * A position in the durable history (DESIGN contract 6): what a client keeps from
 * `meta.offset` and `postbode:sync`, and sends back as `auth.cursor` to resume. Its static type
 * is the core's `Cursor` (a type-level test holds the two together).
 */
export const Cursor = Type.Object(
  {
    epoch: Type.String({
      minLength: 1,
      maxLength: MAX_EPOCH_LENGTH,
      description: 'The name of the history the offset belongs to.',
    }),
    offset: Type.String({
      pattern: STREAM_ID_PATTERN,
      description: 'A stream entry id: the meta.offset of the last message seen, or a sync offset.',
    }),
  },
  { description: 'A position in the durable history, sent back as auth.cursor to resume.' },
);

/** A position in the durable history. */
export type Cursor = CursorShape;
