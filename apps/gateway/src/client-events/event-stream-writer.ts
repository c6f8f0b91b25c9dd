import type { BackendEvent } from '@postbode/protocol';
import { appendBackendEvent } from '../backend-events/append-backend-event.js';
import { reconnectDelay } from '../ingest/reconnect-delay.js';
import type { Logger } from '../observability/logger.js';
import { createRedis } from '../redis/create-redis.js';

/** Options of {@link createEventStreamWriter}. */
export interface EventStreamWriterOptions {
  url: string;
  /** The backend event stream (`POSTBODE_EVENTS_STREAM`). */
  stream: string;
  /** The channel relayed actions are published on (`POSTBODE_CHANNEL`), so every node delivers them. */
  channel: string;
  /** How long one write may wait for Redis before it fails (`UNAVAILABLE`), in ms. */
  timeoutMs: number;
  /** Writes waiting for Redis at once; more fail at once (`UNAVAILABLE`). */
  maxInFlight: number;
  logger: Logger;
}

/** Why a write failed: Redis is not connected, did not answer in time, or too many wait. */
export class WriteUnavailableError extends Error {
  override readonly name = 'WriteUnavailableError';
}

/**
 * The client events' own Redis connection. Nothing waits for Redis without bound: no offline
 * queue (a write while disconnected fails at once), a timeout per command, and at most
 * `maxInFlight` writes pending. A write that timed out may still reach Redis later: the client
 * was told `UNAVAILABLE`, re-sends with the same `id`, and consumers skip a seen `id`.
 */
export interface EventStreamWriter {
  /** Appends a backend event; resolves with its entry id once Redis has it. */
  append(event: BackendEvent): Promise<string>;
  /** Publishes an envelope (JSON) on the channel; resolves once Redis has taken it. */
  publish(envelopeJson: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates the writer and starts connecting (in the background, with reconnects). */
export function createEventStreamWriter(options: EventStreamWriterOptions): EventStreamWriter {
  const { stream, channel, timeoutMs, maxInFlight, logger } = options;
  const redis = createRedis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    connectionName: 'postbode-gateway-events',
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis repeats the error on every reconnect attempt: log each new one once.
    if (error.message !== lastError)
      logger.warn({ err: error.message }, 'client events: Redis error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  let inFlight = 0;

  async function bounded<T>(write: () => Promise<T>): Promise<T> {
    if (redis.status !== 'ready') {
      throw new WriteUnavailableError(`Redis is not connected (${redis.status})`);
    }
    if (inFlight >= maxInFlight) {
      throw new WriteUnavailableError(`${maxInFlight} client events already wait for Redis`);
    }
    inFlight += 1;
    try {
      return await write();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new WriteUnavailableError(
        /timed out/i.test(message)
          ? `Redis did not answer within ${timeoutMs} ms`
          : `Redis refused the write: ${message}`,
      );
    } finally {
      inFlight -= 1;
    }
  }

  return {
    append: (event) => bounded(() => appendBackendEvent(redis, stream, event)),
    publish: (envelopeJson) =>
      bounded(() => redis.publish(channel, envelopeJson).then(() => undefined)),
    async close() {
      redis.disconnect();
    },
  };
}
