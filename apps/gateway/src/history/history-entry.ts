import type { Meta } from '@postbode/protocol';

/** One durable message as this node retains it: what its sockets got, and where it went. */
export interface HistoryEntry {
  /** Its stream id: `meta.offset`. */
  readonly offset: string;
  /** When Redis added it (the id's millisecond part); retention is measured on this. */
  readonly time: number;
  /** The rooms its audience resolved to. */
  readonly rooms: readonly string[];
  /** The action, its payload and its metadata, exactly as delivered live. */
  readonly action: string;
  readonly data: unknown;
  readonly meta: Meta;
  /** The size of its envelope, for the memory bound. */
  readonly bytes: number;
}
