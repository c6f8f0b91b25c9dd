import type { Cursor, SyncEvent } from '@postbode/protocol/core';
import { compareOffsets } from '@postbode/protocol/core';

/**
 * The client's place in the durable history (DESIGN contract 6), kept across its sockets: the
 * cursor it sends in each handshake, moved on by every delivered message's `meta.offset` and
 * set by every `postbode:sync`. It also tells a message seen already (its offset is not past
 * the cursor: a replay that overlaps what arrived live) and a sync that means messages were
 * missed.
 */
export class ResumeCursor {
  #cursor: Cursor | undefined;

  constructor(initial: Cursor | undefined) {
    this.#cursor = initial;
  }

  /** A copy of the cursor, or undefined before the first sync when none was given. */
  get current(): Cursor | undefined {
    return this.#cursor && { ...this.#cursor };
  }

  /**
   * Takes a delivered message's offset: false when the cursor is there or past it already (the
   * message was seen: drop it); otherwise moves the cursor to it. Offsets are compared within
   * the cursor's epoch: every message a socket gets before its sync is a replay from the
   * cursor it sent, and the sync sets the epoch of every later one.
   */
  advance(offset: string): boolean {
    const cursor = this.#cursor;
    if (cursor === undefined) return true;
    if (compareOffsets(offset, cursor.offset) <= 0) return false;
    this.#cursor = { epoch: cursor.epoch, offset };
    return true;
  }

  /**
   * Takes a `postbode:sync`; true when the app must refetch: a socket that sent a cursor was
   * not recovered, or a live socket was told that history was lost under it. The gateway
   * answers a socket without a cursor, and only such a socket, with `no_cursor` (a first
   * connection: the app loaded its state with the page), so that reason alone tells it apart.
   */
  sync(event: SyncEvent): boolean {
    this.#cursor = { epoch: event.epoch, offset: event.offset };
    return !event.recovered && event.reason !== 'no_cursor';
  }
}
