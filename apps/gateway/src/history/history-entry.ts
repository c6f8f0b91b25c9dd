/**
 * One durable message as the history index takes it (history-index.ts): where it is in the
 * stream, where it went, and the bytes its sockets got.
 *
 * The message itself is kept as the WebSocket frame it was delivered in, not as the decoded
 * action, payload and metadata: a replay writes the same bytes as the live delivery without
 * encoding again, and a retained message is bytes in a block outside the heap instead of a
 * tree of a dozen objects that every garbage collection has to visit for as long as the
 * message is retained (see history-columns.ts).
 */
export interface HistoryEntry {
  /** Its stream id: `meta.offset`. */
  readonly offset: string;
  /** When Redis added it (the id's millisecond part); retention is measured on this. */
  readonly time: number;
  /** The rooms its audience resolved to. */
  readonly rooms: readonly string[];
  /** The WebSocket frame it was delivered in (event-frame.ts); the index keeps a copy. */
  readonly frame: Buffer;
  /** The size of its envelope, for the memory bound. */
  readonly bytes: number;
}
