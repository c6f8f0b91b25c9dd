import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisConnection } from './create-redis.js';

/**
 * One Lua script, called with EVALSHA. When Redis does not have it (`NOSCRIPT`: the first call,
 * a restarted or failed-over Redis, `SCRIPT FLUSH`), the same call is sent once more as EVAL,
 * which runs it and loads it for the next EVALSHA. In Redis Cluster both go to the node of the
 * first key's slot.
 *
 * Why not ioredis's `defineCommand`, which does the same: its script command wraps the command's
 * `reject` in a new closure every time it is written, and with that wrapper every call's command,
 * arguments and reply outlived the next young-generation collection (measured: a loop of the
 * stream's `read.lua` at 1,000 calls per second kept ~0.9 MB alive per scavenge through
 * `defineCommand`, ~25 KB through EVALSHA, ~25 KB through `defineCommand` with the wrapper taken
 * out). Through the durable stream that is two commands per message, and it made each scavenge
 * of a stream-fed gateway several times longer than a pub/sub-fed one's (BENCHMARKS.md).
 */
export interface LuaScript {
  /** SHA-1 of the source, as EVALSHA takes it. */
  readonly sha: string;
  /** Runs the script with `keys` (KEYS) and `args` (ARGV); the reply as ioredis decodes it. */
  run<T>(redis: RedisConnection, keys: readonly string[], args: readonly string[]): Promise<T>;
}

const isNoScript = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('NOSCRIPT');

/** A script from its source. */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    sha,
    async run<T>(redis: RedisConnection, keys: readonly string[], args: readonly string[]) {
      try {
        return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as T;
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return (await redis.eval(source, keys.length, ...keys, ...args)) as T;
      }
    },
  };
}

/**
 * One of the protocol package's Lua scripts (`@postbode/protocol/redis/<name>.lua`): contracts
 * 6 and 7 define the key layout, and the generated PHP publisher runs the same files.
 */
export function protocolScript(name: string): LuaScript {
  return luaScript(
    readFileSync(new URL(import.meta.resolve(`@postbode/protocol/redis/${name}.lua`)), 'utf8'),
  );
}
