import type { RedisConnection } from '../redis/create-redis.js';
import { protocolScript } from '../redis/lua-script.js';

// The Lua scripts of the durable stream are part of contract 6 (the key layout), so they live
// in the protocol package as Lua files, shared with the generated PHP publisher.
const READ = protocolScript('read');
const ROTATE_EPOCH = protocolScript('rotate-epoch');
const TRIM = protocolScript('trim');

/** One raw stream entry as Redis returns it: `[id, [field, value, ...]]`. */
export type RawStreamEntry = [id: string, fields: Array<string | Buffer>];

/** The stream's state (and a batch of entries) as `read.lua` returns it. */
export interface StreamRead {
  epoch: string;
  /** `entries-added`: every entry ever added to the stream (XINFO STREAM). */
  added: number;
  /** `last-generated-id`. */
  last: string;
  length: number;
  /** The first retained entry's id; undefined when the stream is empty. */
  first: string | undefined;
  entries: RawStreamEntry[];
}

/** The stream scripts, bound to one connection. */
export interface StreamScripts {
  /** Confirms (or starts) the epoch and reads up to `count` entries after `after` ('' reads none). */
  read(after: string, count: number, newEpoch: string): Promise<StreamRead>;
  /** Replaces `lost` with `next` unless another node already replaced it; the current epoch. */
  rotateEpoch(lost: string, next: string): Promise<string>;
  /** Trims entries older than `minTime` (ms) and past `maxEntries`; how many were removed. */
  trim(minTime: number, maxEntries: number): Promise<number>;
}

/** The meta hash beside a stream: its epoch and what was added and removed. */
export function metaKey(stream: string): string {
  return `${stream}:meta`;
}

/**
 * The scripts on `redis` for `stream` (EVALSHA, sent as EVAL when Redis lacks them:
 * lua-script.ts).
 */
export function bindStreamScripts(redis: RedisConnection, stream: string): StreamScripts {
  const keys = [stream, metaKey(stream)] as const;
  return {
    async read(after, count, newEpoch) {
      const [epoch, added, last, length, first, entries] = await READ.run<
        [string, string, string, string, string, RawStreamEntry[]]
      >(redis, keys, [newEpoch, after, String(count)]);
      return {
        epoch,
        added: Number(added),
        last,
        length: Number(length),
        first: first === '' ? undefined : first,
        entries,
      };
    },
    rotateEpoch: (lost, next) => ROTATE_EPOCH.run<string>(redis, keys, [lost, next]),
    trim: (minTime, maxEntries) =>
      TRIM.run<number>(redis, keys, [String(minTime), String(maxEntries)]),
  };
}
