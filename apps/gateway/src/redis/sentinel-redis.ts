import { Redis, type RedisOptions } from 'ioredis';

/** The statuses ioredis emits as events, but `end`: what the connection did last. */
const STATUSES = ['wait', 'connecting', 'connect', 'ready', 'close', 'reconnecting'] as const;

/**
 * A connection to the master that Sentinels name, which does not give up when ioredis does.
 *
 * ioredis ends a connection for good (status `end`, no more retries) when a connect attempt
 * fails inside its Sentinel connector rather than on the socket. That happens in a failover:
 * the connection reconnecting after its master died asks a Sentinel for the master; when the
 * failover detector of its previous connection hears `+switch-master` while that question is
 * open, it closes the connector under the attempt ("Connection is closed."), and the attempt's
 * failure ends the connection. One such connection (the stream reader, the subscriber) kept a
 * gateway not ready until it was restarted (`test/sentinel-reconnect.test.ts` holds the race
 * open). This class starts a new attempt, after the delay of the connection's `retryStrategy`,
 * whenever a connection ends straight from `connecting` without `disconnect()` having been
 * called.
 */
export class SentinelRedis extends Redis {
  #stopped = false;
  #attempts = 0;
  #restart: NodeJS.Timeout | undefined;

  constructor(options: RedisOptions) {
    super(options);
    // The connection's own strategy, ioredis's default when none was given.
    const { retryStrategy } = this.options;
    let last: string = this.status;
    for (const status of STATUSES) {
      this.on(status, () => {
        last = status;
        if (status === 'ready') this.#attempts = 0;
      });
    }
    this.on('end', () => {
      const interrupted = last === 'connecting';
      last = 'end';
      if (!interrupted || this.#stopped) return;
      const delay = retryStrategy?.(++this.#attempts);
      if (typeof delay !== 'number') return;
      this.#restart = setTimeout(() => {
        this.#restart = undefined;
        if (!this.#stopped && this.status === 'end') this.connect().catch(() => undefined);
      }, delay);
    });
  }

  /** Also ends the restarts: a connection the gateway closes stays closed. */
  override disconnect(reconnect = false): void {
    if (!reconnect) {
      this.#stopped = true;
      clearTimeout(this.#restart);
    }
    super.disconnect(reconnect);
  }
}
