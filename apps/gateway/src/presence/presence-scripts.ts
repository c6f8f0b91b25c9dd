import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

// The presence scripts are part of contract 7 (the key layout): they live in the protocol
// package as Lua files, beside contract 6's.
const lua = (name: string): string =>
  readFileSync(new URL(import.meta.resolve(`@postbode/protocol/redis/${name}.lua`)), 'utf8');

/** What one tick did (presence-tick.lua). */
export interface PresenceTick {
  /** The heartbeat was gone: this node must announce its users again. */
  fresh: boolean;
  /** Users taken offline because their node's heartbeat stopped. */
  reaped: number;
  /** Users taken offline because their grace ended. */
  settled: number;
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
    stream: string,
    idPrefix: string,
    graceMs: number,
    changes: readonly PresenceOp[],
  ): Promise<{ online: number; graces: number }>;
  /** Heartbeat, reaping of dead nodes and settling of ended graces. */
  tick(
    node: string,
    stream: string,
    ttlMs: number,
    idPrefix: string,
    limit: number,
  ): Promise<PresenceTick>;
}

type Scripted = Redis & {
  postbodePresenceBatch(...args: string[]): Promise<[number, number]>;
  postbodePresenceTick(...args: string[]): Promise<[number, number, number]>;
};

/**
 * Defines the scripts on `redis` (EVALSHA, loaded on first use). They build their keys from
 * their arguments (a site's keys, the nodes' registry): one Redis, not Redis Cluster.
 */
export function bindPresenceScripts(redis: Redis): PresenceScripts {
  const scripted = redis as Scripted;
  if (typeof scripted.postbodePresenceBatch !== 'function') {
    redis.defineCommand('postbodePresenceBatch', { numberOfKeys: 0, lua: lua('presence-batch') });
    redis.defineCommand('postbodePresenceTick', { numberOfKeys: 0, lua: lua('presence-tick') });
  }
  return {
    async batch(node, stream, idPrefix, graceMs, changes) {
      const args = [node, stream, idPrefix, String(graceMs)];
      for (const { op, site, user } of changes) args.push(op, site, user);
      const [online, graces] = await scripted.postbodePresenceBatch(...args);
      return { online, graces };
    },
    async tick(node, stream, ttlMs, idPrefix, limit) {
      const [fresh, reaped, settled] = await scripted.postbodePresenceTick(
        node,
        stream,
        String(ttlMs),
        idPrefix,
        String(limit),
      );
      return { fresh: fresh === 1, reaped, settled };
    },
  };
}
