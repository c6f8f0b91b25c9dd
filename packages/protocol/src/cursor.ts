import Type from 'typebox';
import type { Cursor as CursorShape } from './core/sync.js';

/** Longest epoch name the gateway accepts in a cursor. */
export const MAX_EPOCH_LENGTH = 128;

/**
 * A Redis stream entry id as a cursor carries it, `<ms>-<seq>` (decimal, no leading zeros).
 * The gateway answers a cursor whose offset does not match with `recovered: false`, `epoch`.
 */
export const STREAM_ID_PATTERN = '^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$';

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
