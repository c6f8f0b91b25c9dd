import { hostname } from 'node:os';
import {
  BACKEND_EVENT_FIELDS,
  DEFAULT_EVENTS_STREAM,
  type BackendEvent as ProtocolBackendEvent,
} from '@postbode/protocol/core';
import { Redis } from 'ioredis';

/**
 * One entry of the backend event stream (README, contract 8), decoded: the protocol's event
 * (`action`, `site` and `user` from the sender's verified token, `id` the idempotency id, `ts`,
 * `node`, `data`) and the stream entry's id.
 */
export interface BackendEvent extends ProtocolBackendEvent {
  /** The stream entry's id. */
  entryId: string;
}

/**
 * What the worker hands events to. A method that throws leaves its entry pending: it is claimed
 * again after `minIdleMs`. Delivery is at least once: handlers are idempotent by `event.id`.
 */
export interface BackendEventHandler {
  messageDelivered(event: BackendEvent): Promise<void>;
  messageRead(event: BackendEvent): Promise<void>;
  /** Anything else on the stream (presence transitions, newer actions): acknowledged. */
  other?(event: BackendEvent): Promise<void>;
}

/** Options of {@link startNodeEventsWorker}. */
export interface NodeEventsWorkerOptions {
  /** The Redis the gateway appends to (`redis://host:port`). */
  redisUrl: string;
  handler: BackendEventHandler;
  /**
   * The gateway's `POSTBODE_EVENTS_STREAM`.
   * @default 'postbode:events'
   */
  stream?: string;
  /**
   * The consumer group, shared with any other worker of the backend (the PHP one uses the same).
   * @default 'postbode-workers'
   */
  group?: string;
  /**
   * This worker's name in the group.
   * @default `node-<host>-<pid>`
   */
  consumer?: string;
  /**
   * Entries read per batch.
   * @default 100
   */
  batch?: number;
  /**
   * How long one read waits for new entries, in ms (also the longest a stop waits for it).
   * @default 1000
   */
  blockMs?: number;
  /**
   * How long an entry stays pending with a worker before another may claim it (XAUTOCLAIM), ms.
   * @default 60000
   */
  minIdleMs?: number;
  /** Receives what went wrong (a handler that threw, an unreadable entry, Redis errors). */
  onError?: (message: string, error?: unknown) => void;
}

/** Defaults of {@link NodeEventsWorkerOptions}. */
export const NODE_EVENTS_WORKER_DEFAULTS = {
  stream: DEFAULT_EVENTS_STREAM,
  group: 'postbode-workers',
  batch: 100,
  blockMs: 1000,
  minIdleMs: 60_000,
} as const;

/** A running worker. */
export interface NodeEventsWorker {
  /** Entries acknowledged after their handler returned, by action. */
  readonly handled: Readonly<Record<string, number>>;
  /** Finishes the entry being handled, leaves the rest of the batch pending, disconnects. */
  stop(): Promise<void>;
}

type Entry = [id: string, fields: string[]];

/** Decodes an entry's fields; undefined when one is missing or `data` is not a JSON object. */
export function decodeBackendEvent(entryId: string, fields: string[]): BackendEvent | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2)
    map.set(fields[i] as string, fields[i + 1] as string);
  const [action, site, user, id, ts, node, raw] = BACKEND_EVENT_FIELDS.map((name) => map.get(name));
  if ([action, site, user, id, ts, raw].some((value) => value === undefined)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw as string);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return {
    entryId,
    action: action as string,
    site: site as string,
    user: user as string,
    id: id as string,
    ts: Number(ts),
    node: node ?? '',
    data: data as Record<string, unknown>,
  };
}

/**
 * The Node backend's event worker (contract 8), the counterpart of PHP's generated
 * `Postbode\EventConsumer`: a consumer group on the backend event stream, batches read with
 * `XREADGROUP`, each entry handed to its handler and acknowledged (`XACK`) after the handler
 * returned; entries another worker (or this one before a restart) left pending longer than
 * `minIdleMs` are claimed with `XAUTOCLAIM` first. An entry that cannot be read goes to the
 * dead-letter stream (`<stream>:dead`, as PHP's) and is acknowledged. Two connections: one
 * blocks in `XREADGROUP`, the other acknowledges, so a stop can cut the read without losing an
 * acknowledgement.
 *
 * @example
 * const worker = await startNodeEventsWorker({ redisUrl, handler: receipts });
 * // … on shutdown
 * await worker.stop();
 */
export async function startNodeEventsWorker(
  options: NodeEventsWorkerOptions,
): Promise<NodeEventsWorker> {
  const { stream, group, batch, blockMs, minIdleMs } = {
    ...NODE_EVENTS_WORKER_DEFAULTS,
    ...options,
  };
  const consumer = options.consumer ?? `node-${hostname()}-${process.pid}`;
  const onError = options.onError ?? (() => undefined);
  const commands = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const reader = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // ioredis reports connection errors as events; the loop sees them as rejected commands.
  commands.on('error', () => undefined);
  reader.on('error', () => undefined);
  await Promise.all([commands.connect(), reader.connect()]);
  try {
    await commands.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) {
      commands.disconnect();
      reader.disconnect();
      throw error;
    }
  }

  const handled: Record<string, number> = {};
  let stopping = false;
  let claimCursor = '0-0';

  const settle = async (entryId: string, fields: string[]): Promise<void> => {
    const event = decodeBackendEvent(entryId, fields);
    if (event === undefined) {
      await commands.xadd(`${stream}:dead`, '*', ...fields, 'entry', entryId, 'group', group);
      await commands.xack(stream, group, entryId);
      onError(`unreadable entry ${entryId}, moved to ${stream}:dead`);
      return;
    }
    try {
      switch (event.action) {
        case 'message.delivered':
          await options.handler.messageDelivered(event);
          break;
        case 'message.read':
          await options.handler.messageRead(event);
          break;
        default:
          await options.handler.other?.(event);
      }
    } catch (error) {
      // Left pending: claimed again after minIdleMs.
      onError(`handler of ${event.action} ${event.id} failed; the entry stays pending`, error);
      return;
    }
    await commands.xack(stream, group, entryId);
    handled[event.action] = (handled[event.action] ?? 0) + 1;
  };

  const claim = async (): Promise<Entry[]> => {
    const reply = (await commands.xautoclaim(
      stream,
      group,
      consumer,
      minIdleMs,
      claimCursor,
      'COUNT',
      batch,
    )) as [string, (Entry | null)[]];
    claimCursor = reply[0];
    // An entry deleted while pending comes back without fields (Redis 6.2) or as null.
    return reply[1].filter((entry): entry is Entry => Array.isArray(entry?.[1]));
  };

  const readNew = async (count: number): Promise<Entry[]> => {
    const reply = (await reader.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      '>',
    )) as [string, Entry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  };

  const loop = (async () => {
    while (!stopping) {
      try {
        const entries = await claim();
        if (entries.length < batch && !stopping)
          entries.push(...(await readNew(batch - entries.length)));
        for (const [entryId, fields] of entries) {
          // The rest of the batch stays pending: claimed after minIdleMs.
          if (stopping) break;
          await settle(entryId, fields);
        }
      } catch (error) {
        if (stopping) break;
        onError('reading the event stream failed; retrying in 1 s', error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  return {
    handled,
    async stop() {
      if (stopping) return loop;
      stopping = true;
      // Cuts a blocked XREADGROUP; an entry being handled finishes on the other connection.
      reader.disconnect();
      await loop;
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}
