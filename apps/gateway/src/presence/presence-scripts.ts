import type { RedisConnection } from '../redis/create-redis.js';
import { protocolScript } from '../redis/lua-script.js';

// The presence scripts are part of contract 7 (the key layout): they live in the protocol
// package as Lua files, beside contract 6's.
const BATCH = protocolScript('presence-batch');
const TICK = protocolScript('presence-tick');

/** What one tick did (presence-tick.lua). */
export interface PresenceTick {
  /** The heartbeat was gone: this node must announce its users again. */
  fresh: boolean;
  /** Users taken offline because their node's heartbeat stopped. */
  reaped: number;
  /** Users taken offline because their grace ended. */
  settled: number;
  /** Dead nodes still hold users that this call had no budget left for: tick again. */
  unreaped: boolean;
}

/** One change of a batch: `+` a user's first socket on the node, `-` their last one. */
export interface PresenceOp {
  op: '+' | '-';
  site: string;
  user: string;
}

/** The presence scripts, bound to one connection. */
export interface PresenceScripts {
  /**
   * Connects (`+`: a user's first socket on `node`) and disconnects (`-`: their last one), in
   * order; how many users came online and how many graces started.
   */
  batch(
    node: string,
    prefix: string,
    stream: string,
    idPrefix: string,
    graceMs: number,
    changes: readonly PresenceOp[],
  ): Promise<{ online: number; graces: number }>;
  /** Heartbeat, reaping of dead nodes and settling of ended graces. */
  tick(
    node: string,
    prefix: string,
    stream: string,
    ttlMs: number,
    idPrefix: string,
    limit: number,
  ): Promise<PresenceTick>;
}

/**
 * The scripts on `redis` (EVALSHA, sent as EVAL when Redis lacks them: lua-script.ts). They
 * build their keys from the key prefix and their arguments (a site's keys, the nodes'
 * registry); the one declared key, the events stream, routes the call in Redis Cluster, where
 * the prefix and the events stream share a hash tag (checked at start-up).
 */
export function bindPresenceScripts(redis: RedisConnection): PresenceScripts {
  return {
    async batch(node, prefix, stream, idPrefix, graceMs, changes) {
      const args = [node, prefix, idPrefix, String(graceMs)];
      for (const { op, site, user } of changes) args.push(op, site, user);
      const [online, graces] = await BATCH.run<[number, number]>(redis, [stream], args);
      return { online, graces };
    },
    async tick(node, prefix, stream, ttlMs, idPrefix, limit) {
      const [fresh, reaped, settled, left] = await TICK.run<[number, number, number, number]>(
        redis,
        [stream],
        [node, prefix, String(ttlMs), idPrefix, String(limit)],
      );
      return { fresh: fresh === 1, reaped, settled, unreaped: left === 1 };
    },
  };
}
