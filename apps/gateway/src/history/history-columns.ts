import { ByteBlocks } from './byte-blocks.js';
import type { EntryQueue } from './entry-queue.js';

/** A room's retained entries: their sequence numbers, oldest first. */
export interface RoomQueue {
  readonly room: string;
  readonly seqs: EntryQueue<number>;
}

/** What an evicted entry's block slot holds: no block. */
const NO_BLOCK = Buffer.alloc(0);

/**
 * Every entry a node retains, oldest first, stored as columns (one array per field) and named
 * by a sequence number that only grows, instead of as one object per entry; its stream id and
 * frame are bytes in large blocks outside the heap (byte-blocks.ts).
 *
 * Why: the history lives for the whole retention (minutes, up to 100,000 messages by default)
 * and every major garbage collection visits everything it holds. Kept as objects (the entry,
 * its rooms array, the decoded payload and metadata with their strings and numbers) a
 * retained message was about a dozen heap objects; in columns with its id and frame as two
 * strings, two; now it is no heap object of its own, only slots of arrays of numbers and a
 * reference to its block, and its bytes are not on the heap. Measured with `pnpm bench`
 * (stream-fed latency and history memory, BENCHMARKS.md).
 */
export class HistoryColumns {
  private readonly store = new ByteBlocks();
  /** The block holding the entry's stream id, then its frame. */
  private blocks: Buffer[] = [];
  private starts: number[] = [];
  private offsetLengths: number[] = [];
  private frameLengths: number[] = [];
  private times: number[] = [];
  private sizes: number[] = [];
  /** One room's queue, or several when the audience resolved to more than one room. */
  private queues: Array<RoomQueue | RoomQueue[]> = [];
  /** Index in the columns of the oldest retained entry. */
  private head = 0;
  /** Sequence number of the entry at index 0 of the columns. */
  private base = 0;

  /** Entries retained. */
  get length(): number {
    return this.times.length - this.head;
  }

  /** The sequence number of the oldest retained entry (of the next one when empty). */
  get oldest(): number {
    return this.base + this.head;
  }

  /** Appends an entry (its stream id and frame are copied); returns its sequence number. */
  push(
    offset: string,
    time: number,
    frame: Buffer,
    bytes: number,
    queues: RoomQueue | RoomQueue[],
  ): number {
    const seq = this.base + this.times.length;
    const { block, start } = this.store.append(offset, frame);
    this.blocks.push(block);
    this.starts.push(start);
    this.offsetLengths.push(offset.length);
    this.frameLengths.push(frame.length);
    this.times.push(time);
    this.sizes.push(bytes);
    this.queues.push(queues);
    return seq;
  }

  // The fields of a retained entry (`oldest` ≤ seq < `oldest + length`).

  /** Its stream id (a new string each call). */
  offset(seq: number): string {
    const i = seq - this.base;
    const start = this.starts[i] as number;
    return (this.blocks[i] as Buffer).toString(
      'latin1',
      start,
      start + (this.offsetLengths[i] as number),
    );
  }

  time(seq: number): number {
    return this.times[seq - this.base] as number;
  }

  /** Its frame: a view of the block, not a copy (the bytes are never written again). */
  frame(seq: number): Buffer {
    const i = seq - this.base;
    const start = (this.starts[i] as number) + (this.offsetLengths[i] as number);
    return (this.blocks[i] as Buffer).subarray(start, start + (this.frameLengths[i] as number));
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
    // Its block is released once no retained entry is in it.
    this.blocks[this.head] = NO_BLOCK;
    this.head += 1;
    // Compact once the dead prefix is half the arrays: amortised O(1), bounded memory.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.blocks = this.blocks.slice(this.head);
      this.starts = this.starts.slice(this.head);
      this.offsetLengths = this.offsetLengths.slice(this.head);
      this.frameLengths = this.frameLengths.slice(this.head);
      this.times = this.times.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.queues = this.queues.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** Drops every entry (sequence numbers go on growing). */
  clear(): void {
    this.base += this.times.length;
    this.store.clear();
    this.blocks = [];
    this.starts = [];
    this.offsetLengths = [];
    this.frameLengths = [];
    this.times = [];
    this.sizes = [];
    this.queues = [];
    this.head = 0;
  }
}
