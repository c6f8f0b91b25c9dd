import type { DecodedEnvelope } from './decoded-envelope.js';

/** What a durable log reports to the history stage behind it. */
export interface DurableLogSink {
  /**
   * A history begins (start-up, or the previous one was lost): forget everything; the node is
   * live from `position`, and cursors before `boundary` cannot be recovered.
   */
  reset(epoch: string, position: string, boundary: string, reason: 'start' | 'epoch'): void;
  /**
   * One entry: the raw value of its `envelope` field (undefined when it has none). During a
   * backfill (`live` false) it is retained but not delivered.
   */
  entry(offset: string, raw: Buffer | string | undefined, live: boolean): void;
  /** One entry this process decoded itself (the embedded log). */
  decoded(offset: string, envelope: DecodedEnvelope): void;
  /**
   * Entries before `boundary` may have been removed before this node read them; the node has
   * read up to `position`.
   */
  lost(boundary: string, position: string): void;
}

/**
 * The durable history messages are ingested from: a Redis stream, or the embedded log of a
 * single process. Every node reads all of it, in order.
 */
export interface DurableLog {
  readonly kind: 'redis-stream' | 'memory';
  /** True once the history is backfilled and the log is being read. */
  readonly ready: boolean;
  /** The history's epoch, once known. */
  readonly epoch: string | undefined;
  /** Starts reading (backfill first). Resolves at once; `ready` follows. */
  start(): Promise<void>;
  /**
   * Resolves once this node has read every entry that existed when it was called, with the
   * epoch confirmed by the log. Rejects with `UNAVAILABLE` when it cannot.
   */
  catchUp(): Promise<void>;
  /** Appends an envelope (already decoded here); resolves with its offset. */
  append(envelope: DecodedEnvelope): Promise<string>;
  close(): Promise<void>;
}
