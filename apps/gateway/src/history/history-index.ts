import { EntryQueue } from './entry-queue.js';
import type { HistoryEntry } from './history-entry.js';
import { compareStreamIds, ZERO_ID } from './stream-id.js';

/** Bounds of what a node keeps in memory; the first one reached evicts the oldest entry. */
export interface HistoryLimits {
  /** How long an entry stays recoverable, in ms, measured from its stream id's time. */
  retentionMs: number;
  /** Most entries kept. */
  maxEntries: number;
  /** Most envelope bytes kept. */
  maxBytes: number;
}

/** What {@link HistoryIndex.collect} found for a cursor. */
export type CollectResult =
  | { ok: true; entries: HistoryEntry[] }
  | { ok: false; reason: 'trimmed' | 'too_many' | 'epoch' };

/**
 * The retained window of durable messages, indexed by room, in memory: every node reads every
 * entry anyway, so a resume is answered from here (a binary search per room of the socket),
 * never by scanning the stream. A cursor is recoverable when no entry after it was lost or
 * evicted before this node indexed it (`boundary`).
 */
export class HistoryIndex {
  private readonly all = new EntryQueue<HistoryEntry>();
  private readonly byRoom = new Map<string, EntryQueue<HistoryEntry>>();
  private retainedBytes = 0;
  private positionId = ZERO_ID;
  private boundaryId = ZERO_ID;

  constructor(private readonly limits: HistoryLimits) {}

  /** The id of the last entry this node has read: the offset its sockets are live from. */
  get position(): string {
    return this.positionId;
  }

  /** Cursors before this id cannot be recovered here. */
  get boundary(): string {
    return this.boundaryId;
  }

  /** Entries retained now. */
  get size(): number {
    return this.all.length;
  }

  /** Envelope bytes retained now. */
  get bytes(): number {
    return this.retainedBytes;
  }

  /** Forgets everything: a new history starts after `position`, recoverable from `boundary`. */
  reset(position: string, boundary: string): void {
    this.byRoom.clear();
    while (this.all.shift() !== undefined);
    this.retainedBytes = 0;
    this.positionId = position;
    this.boundaryId = boundary;
  }

  /** Moves the read position past an entry that is not retained (e.g. a rejected one). */
  advance(offset: string): void {
    if (compareStreamIds(offset, this.positionId) > 0) this.positionId = offset;
  }

  /** Says that entries up to `offset` may be missing: cursors before it are not recoverable. */
  markLost(offset: string): void {
    if (compareStreamIds(offset, this.boundaryId) > 0) this.boundaryId = offset;
  }

  /** Retains an entry (offsets only grow) and evicts what the limits no longer allow. */
  append(entry: HistoryEntry, now: number): void {
    this.advance(entry.offset);
    this.all.push(entry);
    this.retainedBytes += entry.bytes;
    for (const room of entry.rooms) {
      let queue = this.byRoom.get(room);
      if (queue === undefined) {
        queue = new EntryQueue();
        this.byRoom.set(room, queue);
      }
      queue.push(entry);
    }
    this.evict(now);
  }

  /** Evicts entries past the retention time or over the bounds. */
  evict(now: number): void {
    const { retentionMs, maxEntries, maxBytes } = this.limits;
    for (let oldest = this.all.peek(); oldest !== undefined; oldest = this.all.peek()) {
      const over =
        this.all.length > maxEntries ||
        this.retainedBytes > maxBytes ||
        oldest.time < now - retentionMs;
      if (!over) return;
      this.all.shift();
      this.retainedBytes -= oldest.bytes;
      this.markLost(oldest.offset);
      for (const room of oldest.rooms) {
        const queue = this.byRoom.get(room);
        queue?.shift();
        if (queue?.length === 0) this.byRoom.delete(room);
      }
    }
  }

  /**
   * The entries after `cursor` addressed to any of `rooms`, each once, in offset order; or why
   * there can be none: `trimmed` (lost or evicted past the cursor), `too_many` (more than
   * `max`: no partial replay), `epoch` (a cursor past the end of this history).
   */
  collect(rooms: readonly string[], cursor: string, max: number): CollectResult {
    if (compareStreamIds(cursor, this.positionId) > 0) return { ok: false, reason: 'epoch' };
    if (compareStreamIds(cursor, this.boundaryId) < 0) return { ok: false, reason: 'trimmed' };
    const isAfter = (entry: HistoryEntry) => compareStreamIds(entry.offset, cursor) > 0;
    const found = new Set<HistoryEntry>();
    let sources = 0;
    for (const room of rooms) {
      const queue = this.byRoom.get(room);
      if (queue === undefined) continue;
      const before = found.size;
      for (const entry of queue.from(isAfter)) {
        found.add(entry);
        if (found.size > max) return { ok: false, reason: 'too_many' };
      }
      if (found.size > before) sources += 1;
    }
    const entries = [...found];
    // One room's entries are in order already; several rooms' are merged.
    if (sources > 1) entries.sort((a, b) => compareStreamIds(a.offset, b.offset));
    return { ok: true, entries };
  }
}
