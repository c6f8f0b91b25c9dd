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

/** The presence scripts, bound to one connection. */
export interface PresenceScripts {
  /** A user's first socket on `node`; true when the user came online. */
  connect(site: string, user: string, node: string, stream: string, id: string): Promise<boolean>;
  /** A user's last socket on `node` closed; true when the grace started. */
  disconnect(site: string, user: string, node: string, graceMs: number): Promise<boolean>;
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
  postbodePresenceConnect(...args: string[]): Promise<number>;
  postbodePresenceDisconnect(...args: string[]): Promise<number>;
  postbodePresenceTick(...args: string[]): Promise<[number, number, number]>;
};

/**
 * Defines the scripts on `redis` (EVALSHA, loaded on first use). They build their keys from
 * their arguments (a site's keys, the nodes' registry): one Redis, not Redis Cluster.
 */
export function bindPresenceScripts(redis: Redis): PresenceScripts {
  const scripted = redis as Scripted;
  if (typeof scripted.postbodePresenceConnect !== 'function') {
    redis.defineCommand('postbodePresenceConnect', {
      numberOfKeys: 0,
      lua: lua('presence-connect'),
    });
    redis.defineCommand('postbodePresenceDisconnect', {
      numberOfKeys: 0,
      lua: lua('presence-disconnect'),
    });
    redis.defineCommand('postbodePresenceTick', { numberOfKeys: 0, lua: lua('presence-tick') });
  }
  return {
    connect: async (site, user, node, stream, id) =>
      (await scripted.postbodePresenceConnect(site, user, node, stream, id)) === 1,
    disconnect: async (site, user, node, graceMs) =>
      (await scripted.postbodePresenceDisconnect(site, user, node, String(graceMs))) === 1,
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
