import type { EntryQueue } from './entry-queue.js';

/** A room's retained entries: their sequence numbers, oldest first. */
export interface RoomQueue {
  readonly room: string;
  readonly seqs: EntryQueue<number>;
}

/**
 * Every entry a node retains, oldest first, stored as columns (one array per field) and named
 * by a sequence number that only grows, instead of as one object per entry.
 *
 * Why: the history lives for the whole retention (minutes, up to 100,000 messages by default)
 * and every major garbage collection visits everything it holds. Kept as objects (the entry,
 * its rooms array, the decoded payload and metadata with their strings and numbers) a
 * retained message was about a dozen heap objects; in columns it is two strings (its offset
 * and its frame, event-frame.ts `wireOfFrame`) and a few slots of arrays of numbers. Measured
 * with `pnpm bench` (stream-fed latency and history memory, BENCHMARKS.md).
 */
export class HistoryColumns {
  private offsets: string[] = [];
  private times: number[] = [];
  private wires: string[] = [];
  private sizes: number[] = [];
  /** One room's queue, or several when the audience resolved to more than one room. */
  private queues: Array<RoomQueue | RoomQueue[]> = [];
  /** Index in the columns of the oldest retained entry. */
  private head = 0;
  /** Sequence number of the entry at index 0 of the columns. */
  private base = 0;

  /** Entries retained. */
  get length(): number {
    return this.offsets.length - this.head;
  }

  /** The sequence number of the oldest retained entry (of the next one when empty). */
  get oldest(): number {
    return this.base + this.head;
  }

  /** Appends an entry; returns its sequence number. */
  push(
    offset: string,
    time: number,
    wire: string,
    bytes: number,
    queues: RoomQueue | RoomQueue[],
  ): number {
    const seq = this.base + this.offsets.length;
    this.offsets.push(offset);
    this.times.push(time);
    this.wires.push(wire);
    this.sizes.push(bytes);
    this.queues.push(queues);
    return seq;
  }

  // The fields of a retained entry (`oldest` ≤ seq < `oldest + length`).

  offset(seq: number): string {
    return this.offsets[seq - this.base] as string;
  }

  time(seq: number): number {
    return this.times[seq - this.base] as number;
  }

  wire(seq: number): string {
    return this.wires[seq - this.base] as string;
  }

  bytes(seq: number): number {
    return this.sizes[seq - this.base] as number;
  }

  roomQueues(seq: number): RoomQueue | RoomQueue[] {
    return this.queues[seq - this.base] as RoomQueue | RoomQueue[];
  }

  /** Drops the oldest entry. */
  shift(): void {
    if (this.length === 0) return;
    const at = this.head;
    // Released now, not at the next compaction: the frame is most of an entry's memory.
    this.wires[at] = '';
    this.offsets[at] = '';
    this.head += 1;
    // Compact once the dead prefix is half the arrays: amortised O(1), bounded memory.
    if (this.head > 1024 && this.head * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.times = this.times.slice(this.head);
      this.wires = this.wires.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.queues = this.queues.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** Drops every entry (sequence numbers go on growing). */
  clear(): void {
    this.base += this.offsets.length;
    this.offsets = [];
    this.times = [];
    this.wires = [];
    this.sizes = [];
    this.queues = [];
    this.head = 0;
  }
}
