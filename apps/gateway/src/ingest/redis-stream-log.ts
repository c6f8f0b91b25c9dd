import { randomUUID } from 'node:crypto';
import { PostbodeError } from '@postbode/protocol';
import { compareStreamIds, streamIdTime, ZERO_ID } from '../history/stream-id.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createRedis, type RedisConnectionOptions } from '../redis/create-redis.js';
import type { DecodedEnvelope } from './decoded-envelope.js';
import type { DurableLog, DurableLogSink } from './durable-log.js';
import { reconnectDelay } from './reconnect-delay.js';
import {
  bindStreamScripts,
  metaKey,
  type RawStreamEntry,
  type StreamRead,
} from './stream-scripts.js';

/** Options of {@link createRedisStreamLog}. */
export interface RedisStreamLogOptions {
  url: string;
  /** The stream key (`POSTBODE_STREAM`). */
  stream: string;
  /** Retention: entries older than this are trimmed from the stream and from memory. */
  retentionMs: number;
  /** Most entries the stream keeps. */
  maxEntries: number;
  /** How long `catchUp()` may take before it answers `UNAVAILABLE`, in ms. */
  catchUpTimeoutMs: number;
  /**
   * How long one command may take before it fails (a Redis that does not answer: frozen, or
   * a partition), in ms. `append` then rejects with `UNAVAILABLE` and `ready` goes false.
   */
  commandTimeoutMs: number;
  sink: DurableLogSink;
  logger: Logger;
  metrics: GatewayMetrics;
}

/** Someone waiting for a catch-up (`DurableLog.catchUp`). */
interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

const NO_WAITERS: readonly Waiter[] = Object.freeze([]);

/** Entries read per script call. */
const BATCH = 500;
/** How long a blocking read waits for new entries before it reads again anyway, in ms. */
const BLOCK_MS = 2_000;
/** How often the stream is trimmed, in ms. */
const TRIM_EVERY_MS = 1_000;

const envelopeField = (entry: RawStreamEntry): Buffer | string | undefined => {
  const fields = entry[1];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (String(fields[i]) === 'envelope') return fields[i + 1];
  }
  return undefined;
};

/**
 * Durable ingest from a Redis stream. Every node reads every entry, in order, with a Lua
 * script that also confirms the epoch. Loss is detected by what the node has read: after each
 * read that reaches the end, the entries this node read since its last check must equal the
 * entries Redis says were added since then. Fewer read: entries were removed before this node
 * read them (`lost`, its sockets are told). More read: Redis lost entries this node had read
 * (a failover to a replica behind it): the epoch is rotated and every node starts over.
 */
export function createRedisStreamLog(options: RedisStreamLogOptions): DurableLog {
  const { stream, sink, logger, metrics } = options;
  const common: Omit<RedisConnectionOptions, 'connectionName'> = {
    lazyConnect: true,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
  };
  const commands = createRedis(options.url, {
    ...common,
    // Every command of this connection is in a request path or the reader: none may hang.
    commandTimeout: options.commandTimeoutMs,
    enableOfflineQueue: true,
    connectionName: 'postbode-gateway-stream',
  });
  // XREAD BLOCK holds its connection: a connection of its own.
  const blocking = createRedis(options.url, {
    ...common,
    maxRetriesPerRequest: null,
    connectionName: 'postbode-gateway-stream-block',
  });
  const scripts = bindStreamScripts(commands, stream);

  let epoch: string | undefined;
  let position = ZERO_ID;
  /** entries-added when the count was last checked, and entries read since. */
  let addedBase = 0;
  let readSince = 0;
  let ready = false;
  let closing = false;
  let backfilled = false;
  let waiting: Waiter[] = [];
  let trimTimer: NodeJS.Timeout | undefined;
  let errorLogged = false;
  /**
   * The epoch `read.lua` starts when the stream has none. Kept from read to read until a read
   * answers with it (then adopted: a new candidate is drawn) or fails (its answer unknown: the
   * script may have adopted it, so it is never offered again). Never two histories with one
   * epoch, without a random id drawn per read.
   */
  let candidateEpoch = randomUUID();
  const readStream = async (after: string, count: number): Promise<StreamRead> => {
    let result: StreamRead;
    try {
      result = await scripts.read(after, count, candidateEpoch);
    } catch (error) {
      candidateEpoch = randomUUID();
      throw error;
    }
    if (result.epoch === candidateEpoch) candidateEpoch = randomUUID();
    return result;
  };

  const backfill = async (reason: 'start' | 'epoch'): Promise<void> => {
    const state = await readStream('', 0);
    epoch = state.epoch;
    // Exactly what was removed is known when every removal went through trim.lua; otherwise
    // every cursor before the first retained entry counts as lost (conservative).
    const [removed, removedCount] = await commands.hmget(
      metaKey(stream),
      'removed',
      'removedCount',
    );
    let boundary: string;
    if (state.added === state.length) boundary = ZERO_ID;
    else if (
      removed !== null &&
      removed !== undefined &&
      Number(removedCount) === state.added - state.length
    ) {
      boundary = removed;
    } else boundary = state.first ?? state.last;
    // Entries older than the retention are not loaded; the newest of them bounds recovery.
    const cutoff = Date.now() - options.retentionMs;
    const older = (await commands.xrevrange(stream, `(${cutoff}-0`, '-', 'COUNT', 1)) as Array<
      [string, string[]]
    >;
    if (older[0] !== undefined && compareStreamIds(older[0][0], boundary) > 0) {
      boundary = older[0][0];
    }
    sink.reset(state.epoch, ZERO_ID, boundary, reason);
    let from = older[0] === undefined ? '-' : `(${older[0][0]}`;
    for (;;) {
      if (compareStreamIds(state.last, ZERO_ID) === 0) break;
      const batch = (await commands.xrangeBuffer(
        stream,
        from,
        state.last,
        'COUNT',
        BATCH,
      )) as Array<[Buffer, Buffer[]]>;
      for (const [id, fields] of batch) {
        const offset = id.toString();
        sink.entry(offset, envelopeField([offset, fields]), false);
        from = `(${offset}`;
      }
      if (batch.length < BATCH) break;
    }
    position = state.last;
    addedBase = state.added;
    readSince = 0;
    backfilled = true;
    logger.info(
      { stream, epoch: state.epoch, position, boundary, reason },
      `stream "${stream}" backfilled up to ${position}`,
    );
  };

  /** One read; true when it reached the end of the stream. */
  const readOnce = async (): Promise<boolean> => {
    if (!backfilled) await backfill('start');
    const result = await readStream(position, BATCH);
    if (result.epoch !== epoch) {
      logger.error(
        { stream, from: epoch, to: result.epoch },
        `stream "${stream}" has a new epoch: its history was lost (Redis restarted without data, or the stream was deleted); every socket resynchronises`,
      );
      await backfill('epoch');
      return false;
    }
    // Trimming removes the oldest entries: `added - length` of them are gone. This node has read
    // the first `addedBase + readSince` by count; any removed beyond those it never read.
    const removedUnread = result.added - result.length - (addedBase + readSince);
    for (const entry of result.entries) {
      const offset = String(entry[0]);
      readSince += 1;
      position = offset;
      sink.entry(offset, envelopeField(entry), true);
    }
    if (removedUnread > 0) {
      logger.error(
        { stream, missed: removedUnread, position },
        `${removedUnread} stream entries were removed before this node read them (it fell behind the retention); its sockets are told to resynchronise`,
      );
      metrics.streamEntriesMissed.inc(removedUnread);
      readSince += removedUnread;
      const after = result.entries[0]?.[0];
      if (after === undefined) position = result.last;
      // Cursors before the first entry read after the gap cannot be recovered here; the sockets
      // are told with the offset they are live from now, which is a valid cursor.
      sink.lost(after === undefined ? result.last : String(after), position);
    }
    const lagEntries = result.added - addedBase - readSince;
    metrics.streamLagEntries.set(Math.max(0, lagEntries));
    if (result.entries.length === BATCH) {
      metrics.streamLagSeconds.set(Math.max(0, Date.now() - streamIdTime(position)) / 1000);
      return false;
    }
    metrics.streamLagSeconds.set(0);
    // At the end: what this node read must be what Redis says was added.
    if (lagEntries < 0 || compareStreamIds(result.last, position) < 0) {
      const lost = epoch as string;
      const next = await scripts.rotateEpoch(lost, randomUUID());
      logger.error(
        { stream, from: lost, to: next, position, last: result.last },
        `stream "${stream}" lacks entries this node has read (a failover to a replica behind it?): history is lost, new epoch`,
      );
      await backfill('epoch');
      return false;
    }
    if (lagEntries > 0) {
      // Entries deleted out of order (XDEL) before this node read them.
      logger.error(
        { stream, missed: lagEntries },
        `${lagEntries} stream entries were deleted before this node read them`,
      );
      metrics.streamEntriesMissed.inc(lagEntries);
      position = result.last;
      sink.lost(result.last, position);
    }
    addedBase = result.added;
    readSince = 0;
    metrics.streamLagEntries.set(0);
    return true;
  };

  // Waiting for entries: a blocking XREAD on its own connection says when there are some (its
  // reply is only a signal: the script reads them, with the epoch). One wait at a time; what
  // ends it: the XREAD answering (entries, its BLOCK timeout, or an error, then after 200 ms),
  // a catch-up or close asking, or the guard timer. The guard bounds a wait when Redis stops
  // answering and leaves the blocking read pending for good: the next read on the command
  // connection then times out, and readiness goes false. One timer, re-armed per wait, and no
  // promise chain per XREAD: at a message per wait, the loop allocates little.
  let release: (() => void) | undefined;
  let blockingInFlight = false;
  const guard = setTimeout(() => release?.(), BLOCK_MS + options.commandTimeoutMs);
  guard.unref();
  const blockingDone = (): void => {
    blockingInFlight = false;
    release?.();
  };
  const blockingFailed = (): void => {
    setTimeout(blockingDone, 200);
  };
  const waitForEntries = (): Promise<void> =>
    new Promise<void>((resolve) => {
      release = () => {
        release = undefined;
        resolve();
      };
      if (!blockingInFlight) {
        blockingInFlight = true;
        blocking
          .xreadBuffer('COUNT', 1, 'BLOCK', BLOCK_MS, 'STREAMS', stream, position)
          .then(blockingDone, blockingFailed);
      }
      guard.refresh();
    });

  const pump = async (): Promise<void> => {
    let attempt = 0;
    while (!closing) {
      // A new array only when someone waits: what arrives during this read waits for the next.
      const served = waiting.length === 0 ? NO_WAITERS : waiting;
      if (served !== NO_WAITERS) waiting = [];
      try {
        const atEnd = await readOnce();
        attempt = 0;
        errorLogged = false;
        if (!ready) {
          ready = true;
          metrics.streamReady.set(1);
        }
        if (!atEnd) {
          waiting.unshift(...served);
          continue;
        }
        for (const waiter of served) waiter.resolve();
      } catch (error) {
        for (const waiter of served) waiter.reject(error);
        if (ready) {
          ready = false;
          metrics.streamReady.set(0);
        }
        if (!errorLogged) {
          logger.warn(
            { stream, err: error instanceof Error ? error.message : String(error) },
            'could not read the stream; retrying',
          );
          errorLogged = true;
        }
        attempt += 1;
        await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
        continue;
      }
      if (waiting.length === 0) await waitForEntries();
    }
  };

  const trim = (): void => {
    scripts.trim(Date.now() - options.retentionMs, options.maxEntries).then(
      (removed) => {
        if (removed > 0) metrics.streamTrimmed.inc(removed);
      },
      () => undefined,
    );
  };

  commands.on('error', (error: Error) =>
    logger.debug({ err: error.message }, 'stream connection error'),
  );
  blocking.on('error', (error: Error) =>
    logger.debug({ err: error.message }, 'stream connection error'),
  );

  return {
    kind: 'redis-stream',
    get ready() {
      return ready && !closing;
    },
    get epoch() {
      return epoch;
    },
    async start() {
      metrics.streamReady.set(0);
      commands.connect().catch(() => undefined);
      blocking.connect().catch(() => undefined);
      pump().catch((error: unknown) =>
        logger.error({ err: String(error) }, 'stream reader stopped'),
      );
      trimTimer = setInterval(trim, TRIM_EVERY_MS);
      trimTimer.unref();
    },
    catchUp() {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = waiting.filter((waiter) => waiter !== entry);
          reject(
            new PostbodeError(
              'UNAVAILABLE',
              `the stream could not be read within ${options.catchUpTimeoutMs} ms`,
            ),
          );
        }, options.catchUpTimeoutMs);
        const entry = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error: unknown) => {
            clearTimeout(timer);
            reject(PostbodeError.from(error, 'UNAVAILABLE'));
          },
        };
        waiting.push(entry);
        release?.();
      });
    },
    async append(envelope: DecodedEnvelope) {
      try {
        // No MAXLEN here: trim.lua trims, and records what it removed.
        return (await commands.xadd(stream, '*', 'envelope', JSON.stringify(envelope))) as string;
      } catch (cause) {
        throw new PostbodeError(
          'UNAVAILABLE',
          'Redis is not reachable; the message was not appended to the stream',
          { cause },
        );
      }
    },
    async close() {
      closing = true;
      ready = false;
      clearInterval(trimTimer);
      clearTimeout(guard);
      release?.();
      for (const waiter of waiting.splice(0)) {
        waiter.reject(new PostbodeError('UNAVAILABLE', 'the gateway is shutting down'));
      }
      await Promise.all(
        [commands, blocking].map(async (client) => {
          if (client === commands && client.status === 'ready') {
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
