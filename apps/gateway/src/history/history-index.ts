import { EntryQueue } from './entry-queue.js';
import { HistoryColumns, type RoomQueue } from './history-columns.js';
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
  | {
      ok: true;
      /** The frames to write, in offset order (event-frame.ts `eventOfFrame`). */
      frames: Buffer[];
    }
  | { ok: false; reason: 'trimmed' | 'too_many' | 'epoch' };

/**
 * The retained window of durable messages, indexed by room, in memory: every node reads every
 * entry anyway, so a resume is answered from here (a binary search per room of the socket),
 * never by scanning the stream. A cursor is recoverable when no entry after it was lost or
 * evicted before this node indexed it (`boundary`). The entries are kept in columns
 * (history-columns.ts); a room's queue holds their sequence numbers.
 */
export class HistoryIndex {
  private readonly all = new HistoryColumns();
  private readonly byRoom = new Map<string, RoomQueue>();
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
    this.all.clear();
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
    const queues = entry.rooms.map((room) => this.queueOf(room));
    const seq = this.all.push(
      entry.offset,
      entry.time,
      entry.frame,
      entry.bytes,
      queues.length === 1 ? (queues[0] as RoomQueue) : queues,
    );
    for (const queue of queues) queue.seqs.push(seq);
    this.retainedBytes += entry.bytes;
    this.evict(now);
  }

  /** Evicts entries past the retention time or over the bounds. */
  evict(now: number): void {
    const { retentionMs, maxEntries, maxBytes } = this.limits;
    const { all } = this;
    const end = all.oldest + all.length;
    let next = all.oldest;
    for (; next < end; next += 1) {
      const over =
        end - next > maxEntries ||
        this.retainedBytes > maxBytes ||
        all.time(next) < now - retentionMs;
      if (!over) break;
      this.retainedBytes -= all.bytes(next);
      // The oldest entry of the node is the oldest of each of its rooms.
      const queues = all.roomQueues(next);
      if (Array.isArray(queues)) for (const queue of queues) this.dropOldest(queue);
      else this.dropOldest(queues);
    }
    if (next === all.oldest) return;
    // Cursors up to the newest evicted entry are no longer recoverable (its id is read before
    // it goes: one string per eviction pass, not per entry).
    this.markLost(all.offset(next - 1));
    while (all.oldest < next) all.shift();
  }

  /**
   * The frames of the entries after `cursor` addressed to any of `rooms`, each once, in offset
   * order; or why there can be none: `trimmed` (lost or evicted past the cursor), `too_many`
   * (more than `max`: no partial replay), `epoch` (a cursor past the end of this history).
   */
  collect(rooms: readonly string[], cursor: string, max: number): CollectResult {
    if (compareStreamIds(cursor, this.positionId) > 0) return { ok: false, reason: 'epoch' };
    if (compareStreamIds(cursor, this.boundaryId) < 0) return { ok: false, reason: 'trimmed' };
    const { all } = this;
    const isAfter = (seq: number) => compareStreamIds(all.offset(seq), cursor) > 0;
    const found = new Set<number>();
    let sources = 0;
    for (const room of rooms) {
      const queue = this.byRoom.get(room);
      if (queue === undefined) continue;
      const before = found.size;
      for (const seq of queue.seqs.from(isAfter)) {
        found.add(seq);
        if (found.size > max) return { ok: false, reason: 'too_many' };
      }
      if (found.size > before) sources += 1;
    }
    const seqs = [...found];
    // One room's entries are in order already; several rooms' are merged (sequence numbers
    // grow with the offsets).
    if (sources > 1) seqs.sort((a, b) => a - b);
    return { ok: true, frames: seqs.map((seq) => all.frame(seq)) };
  }

  private dropOldest(queue: RoomQueue): void {
    queue.seqs.shift();
    if (queue.seqs.length === 0) this.byRoom.delete(queue.room);
  }

  private queueOf(room: string): RoomQueue {
    let queue = this.byRoom.get(room);
    if (queue === undefined) {
      queue = { room, seqs: new EntryQueue<number>() };
      this.byRoom.set(room, queue);
    }
    return queue;
  }
}
