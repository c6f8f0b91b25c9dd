import { readFileSync } from 'node:fs';
import type { RedisConnection } from '../redis/create-redis.js';

// The Lua scripts of the durable stream are part of contract 6 (the key layout), so they live
// in the protocol package as Lua files, shared with the generated PHP publisher.
const lua = (name: string): string =>
  readFileSync(new URL(import.meta.resolve(`@postbode/protocol/redis/${name}.lua`)), 'utf8');

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

type Scripted = RedisConnection & {
  postbodeRead(
    ...args: string[]
  ): Promise<[string, string, string, string, string, RawStreamEntry[]]>;
  postbodeRotateEpoch(...args: string[]): Promise<string>;
  postbodeTrim(...args: string[]): Promise<number>;
};

/** The meta hash beside a stream: its epoch and what was added and removed. */
export function metaKey(stream: string): string {
  return `${stream}:meta`;
}

/** Defines the scripts on `redis` (EVALSHA, loaded on first use) for `stream`. */
export function bindStreamScripts(redis: RedisConnection, stream: string): StreamScripts {
  const scripted = redis as Scripted;
  if (typeof scripted.postbodeRead !== 'function') {
    redis.defineCommand('postbodeRead', { numberOfKeys: 2, lua: lua('read') });
    redis.defineCommand('postbodeRotateEpoch', { numberOfKeys: 2, lua: lua('rotate-epoch') });
    redis.defineCommand('postbodeTrim', { numberOfKeys: 2, lua: lua('trim') });
  }
  const meta = metaKey(stream);
  return {
    async read(after, count, newEpoch) {
      const [epoch, added, last, length, first, entries] = await scripted.postbodeRead(
        stream,
        meta,
        newEpoch,
        after,
        String(count),
      );
      return {
        epoch,
        added: Number(added),
        last,
        length: Number(length),
        first: first === '' ? undefined : first,
        entries,
      };
    },
    rotateEpoch: (lost, next) => scripted.postbodeRotateEpoch(stream, meta, lost, next),
    trim: (minTime, maxEntries) =>
      scripted.postbodeTrim(stream, meta, String(minTime), String(maxEntries)),
  };
}
