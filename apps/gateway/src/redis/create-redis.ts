import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisTarget } from './redis-target.js';
import { SentinelRedis } from './sentinel-redis.js';

/**
 * A connection to the gateway's Redis: one `Redis`, or a `Cluster` in cluster mode. Both offer
 * the same commands, `defineCommand`, pub/sub, `status` and the `ready` / `close` / `error`
 * events the gateway uses.
 */
export type RedisConnection = Redis | Cluster;

/** How one connection behaves; the same names as ioredis's options. */
export interface RedisConnectionOptions {
  /** Shown by `CLIENT LIST` on the Redis side. */
  connectionName: string;
  /** @default false */
  lazyConnect?: boolean;
  /** Delay (ms) before reconnect attempt `times`, or null to stop. */
  retryStrategy?: (times: number) => number | null;
  /** @default 5000 */
  connectTimeout?: number;
  /** @default 20 (ioredis's) */
  maxRetriesPerRequest?: number | null;
  /** @default no timeout */
  commandTimeout?: number;
  /** @default true */
  enableOfflineQueue?: boolean;
  /** @default true */
  autoResubscribe?: boolean;
}

/**
 * Every Redis connection of the gateway is made here, from `POSTBODE_REDIS_URL` (see
 * {@link parseRedisTarget}): one Redis, the master named by Sentinels (ioredis asks them again
 * after every disconnect, so it follows a failover; {@link SentinelRedis} keeps trying where
 * ioredis would give up), or a Redis Cluster (commands go to the node
 * of their key's slot; pub/sub on a connection of its own).
 * @throws Error when the URL is none of the accepted forms (start-up validated it already).
 *
 * @example
 * const redis = createRedis('redis+sentinel://10.0.0.5:26379/postbode', { connectionName: 'x' });
 */
export function createRedis(url: string, options: RedisConnectionOptions): RedisConnection {
  const target = parseRedisTarget(url);
  if (target === undefined) throw new Error('POSTBODE_REDIS_URL is not a Redis URL');
  const { retryStrategy, lazyConnect, enableOfflineQueue, ...perNode } = options;
  const common: RedisOptions = {
    connectTimeout: 5_000,
    ...perNode,
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy === undefined ? {} : { retryStrategy }),
  };
  switch (target.kind) {
    case 'single':
      return new Redis(target.url, common);
    case 'sentinel':
      return new SentinelRedis({
        ...common,
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
        ...(target.sentinelPassword === undefined
          ? {}
          : { sentinelPassword: target.sentinelPassword }),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        // Sentinels unreachable: keep asking, as for a single Redis.
        ...(retryStrategy === undefined ? {} : { sentinelRetryStrategy: retryStrategy }),
        // Subscribes to the Sentinels' +switch-master: a promoted replica is used at once,
        // not only after the old master's connection breaks.
        failoverDetector: true,
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
        redisOptions: {
          connectTimeout: 5_000,
          ...perNode,
          ...(target.username === undefined ? {} : { username: target.username }),
          ...(target.password === undefined ? {} : { password: target.password }),
          ...(target.tls ? { tls: {} } : {}),
        },
      });
    default: {
      const never: never = target;
      throw new Error(`unknown Redis target ${String(never)}`);
    }
  }
}
