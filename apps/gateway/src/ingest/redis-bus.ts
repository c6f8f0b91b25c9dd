import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createRedis, type RedisConnectionOptions } from '../redis/create-redis.js';
import type { Bus } from './bus.js';
import type { EnvelopeSource } from './envelope-source.js';
import { reconnectDelay } from './reconnect-delay.js';

/** Options of {@link createRedisBus}. */
export interface RedisBusOptions {
  /** `POSTBODE_REDIS_URL` (one Redis, Sentinel or Cluster: see `createRedis`). */
  url: string;
  /** The pub/sub channel. */
  channel: string;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Called with every raw message on the channel (untrusted: the edge decoder checks it). */
  onMessage(raw: Buffer, source: EnvelopeSource): void;
}

/**
 * The Redis channel bus: a dedicated subscriber connection on the channel (live only; `POST
 * /publish` appends to the durable stream instead). Subscription is managed here rather than by ioredis's quiet
 * auto-resubscribe, because Redis drops a subscriber whose output buffer overflows
 * (`client-output-buffer-limit pubsub`), and every message published until the subscription
 * is back is lost: that gap is logged as an error and counted, never passed over.
 */
export function createRedisBus(options: RedisBusOptions): Bus {
  const { url, channel, logger, metrics, onMessage } = options;
  const common: Omit<RedisConnectionOptions, 'connectionName'> = {
    lazyConnect: true,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
  };
  const subscriber = createRedis(url, {
    ...common,
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    connectionName: 'postbode-gateway-sub',
  });

  let subscribed = false;
  let everSubscribed = false;
  let lostAt: number | undefined;
  let closing = false;
  let errorLogged = false;

  const markSubscribed = (): void => {
    subscribed = true;
    errorLogged = false;
    metrics.busSubscribed.set(1);
    if (lostAt !== undefined) {
      const gapSeconds = (Date.now() - lostAt) / 1000;
      lostAt = undefined;
      metrics.busReconnects.inc();
      metrics.busResubscribes.inc();
      metrics.busGapSeconds.inc(gapSeconds);
      logger.error(
        { channel, gapSeconds },
        `Redis subscription re-established after ${gapSeconds.toFixed(3)} s; messages published on "${channel}" in that gap were lost`,
      );
    } else {
      logger.info({ channel }, `subscribed to Redis channel "${channel}"`);
    }
    everSubscribed = true;
  };

  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(markSubscribed, (error: Error) => {
      logger.error({ channel, err: error.message }, 'could not subscribe to the Redis channel');
      // Drop the connection so the retry strategy tries again from scratch.
      subscriber.disconnect(true);
    });
  });
  subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
    onMessage(message, 'redis');
  });
  subscriber.on('close', () => {
    if (!subscribed || closing) return;
    subscribed = false;
    metrics.busSubscribed.set(0);
    if (everSubscribed) lostAt = Date.now();
    logger.error(
      { channel },
      'Redis subscriber connection lost (Redis down, network, or the subscriber fell behind and Redis dropped it): messages published until it is back are lost',
    );
  });
  const onError = (role: string) => (error: Error) => {
    // ioredis reports every failed attempt; one line per outage is enough.
    if (errorLogged) logger.debug({ role, err: error.message }, 'Redis connection error');
    else logger.warn({ role, err: error.message }, 'Redis connection error; retrying');
    if (role === 'subscriber') errorLogged = true;
  };
  subscriber.on('error', onError('subscriber'));

  return {
    kind: 'redis',
    get ready() {
      return subscribed;
    },
    async start() {
      metrics.busSubscribed.set(0);
      // Not awaited: the gateway serves (and reports not-ready) while Redis is unreachable.
      subscriber.connect().catch(() => undefined);
    },
    async close() {
      closing = true;
      subscribed = false;
      metrics.busSubscribed.set(0);
      await Promise.all(
        [subscriber].map(async (client) => {
          if (client.status === 'ready') {
            await Promise.race([
              client.quit().catch(() => undefined),
              new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
            ]);
          }
          client.disconnect();
        }),
      );
    },
  };
}
