/**
 * Default size of one block, in bytes: a few hundred frames of a typical chat message each.
 * A record larger than this gets a block of its own, of exactly its size.
 */
export const DEFAULT_BLOCK_BYTES = 256 * 1024;

/** Where {@link ByteBlocks.append} put a record: its block and the index of its first byte. */
export interface BlockPlace {
  readonly block: Buffer;
  readonly start: number;
}

/**
 * Append-only storage of byte records in large buffers, outside the JavaScript heap: the
 * history's retained frames (history-columns.ts).
 *
 * Why: a record kept as a string (or a small `Buffer`) is one more heap object for every major
 * garbage collection to visit, and the old generation grows by its size, for as long as the
 * record is retained (minutes, up to 100,000 messages by default). Bytes copied into a block
 * are neither: a block is one object whatever it holds, and its memory is not on the heap.
 *
 * Bytes once written are never written again; a block is released when nothing refers to it
 * (the history drops its references as it evicts, and a pending socket write of a replayed frame
 * keeps its block alive until the write is done).
 */
export class ByteBlocks {
  private block: Buffer | undefined;
  private used = 0;

  constructor(private readonly blockBytes = DEFAULT_BLOCK_BYTES) {}

  /**
   * Copies `text` (one byte per character: ASCII only, such as a stream id) and then `bytes`
   * into one block; where they start.
   */
  append(text: string, bytes: Buffer): BlockPlace {
    const size = text.length + bytes.length;
    let block = this.block;
    if (block === undefined || block.length - this.used < size) {
      // The rest of the current block stays unused: less than one record.
      block = Buffer.allocUnsafeSlow(Math.max(this.blockBytes, size));
      this.block = block;
      this.used = 0;
    }
    const start = this.used;
    const written = block.write(text, start, 'latin1');
    bytes.copy(block, start + written);
    this.used = start + size;
    return { block, start };
  }

  /** Forgets the current block: the next record starts a new one. */
  clear(): void {
    this.block = undefined;
    this.used = 0;
  }
}
