import {
  type Cursor,
  MAX_EPOCH_LENGTH,
  SYNC_EVENT,
  type SyncEvent,
  type SyncReason,
} from '@postbode/protocol';
import { roomsOfClaims } from '../addressing/rooms.js';
import { type EventFrame, encodeEventFrame, eventOfFrame } from '../delivery/event-frame.js';
import type { HistoryStage } from '../history/history-stage.js';
import { isStreamId } from '../history/stream-id.js';
import type { DurableLog } from '../ingest/durable-log.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeSocket } from './socket-types.js';

/** What the handshake asked for, and whether the log could be confirmed for it. */
type ResumeRequest =
  | { kind: 'none' }
  | { kind: 'malformed' }
  | { kind: 'unavailable'; cursor: Cursor }
  | { kind: 'ready'; cursor: Cursor };

/** Reads `auth.cursor` at the edge: absent, well-formed, or malformed (never trusted further). */
export function readCursor(auth: unknown): Cursor | 'malformed' | undefined {
  const cursor = (auth as { cursor?: unknown } | undefined)?.cursor;
  if (cursor === undefined || cursor === null) return undefined;
  const { epoch, offset } = cursor as { epoch?: unknown; offset?: unknown };
  if (
    typeof epoch !== 'string' ||
    epoch.length === 0 ||
    epoch.length > MAX_EPOCH_LENGTH ||
    !isStreamId(offset)
  ) {
    return 'malformed';
  }
  return { epoch, offset };
}

/** Options of {@link createResume}. */
export interface ResumeOptions {
  log: DurableLog;
  history: HistoryStage;
  /** Most messages replayed to one socket; more: `too_many`, none replayed. */
  recoveryMax: number;
  metrics: GatewayMetrics;
  /**
   * Writes one encoded event to one socket after everything written to it before (deliver.ts
   * `writeTo`): the replayed messages, in the frames the history retains, and `postbode:sync`
   * go out like deliveries, in the same TCP write as socket.io's CONNECT answer when
   * connect-writes.ts corked it.
   */
  writeTo(socket: PostbodeSocket, frame: EventFrame): void;
}

/** A `recovered: false` sync as encoded for the position it names. */
interface RefusalFrame {
  readonly epoch: string;
  readonly offset: string;
  readonly frame: EventFrame;
}

/**
 * Recovery on connect (contract 6). The middleware makes sure, for a socket with a cursor,
 * that this node has read every entry that existed when the handshake arrived, with the epoch
 * confirmed. `start` then, synchronously (so no live message can slip in between): replays
 * the missed messages, emits `postbode:sync`, and only then joins the socket's rooms.
 */
export function createResume(options: ResumeOptions) {
  const { log, history, recoveryMax, metrics, writeTo } = options;
  const requests = new WeakMap<PostbodeSocket, ResumeRequest>();
  // Every socket without a cursor gets the same `postbode:sync` until the position moves (a
  // connect storm: thousands of them): encoded once per reason and position.
  const refusalFrames = new Map<SyncReason, RefusalFrame>();

  const middleware = (socket: PostbodeSocket, next: (err?: Error) => void): void => {
    const cursor = readCursor(socket.handshake.auth);
    if (cursor === undefined || cursor === 'malformed') {
      requests.set(socket, { kind: cursor === undefined ? 'none' : 'malformed' });
      next();
      return;
    }
    log.catchUp().then(
      () => {
        requests.set(socket, { kind: 'ready', cursor });
        next();
      },
      () => {
        requests.set(socket, { kind: 'unavailable', cursor });
        next();
      },
    );
  };

  const refuse = (socket: PostbodeSocket, reason: SyncReason): void => {
    const epoch = history.epoch ?? '';
    const offset = history.index.position;
    let cached = refusalFrames.get(reason);
    if (cached === undefined || cached.epoch !== epoch || cached.offset !== offset) {
      const event: SyncEvent = { epoch, offset, recovered: false, replayed: 0, reason };
      cached = { epoch, offset, frame: encodeEventFrame([SYNC_EVENT, event]) };
      refusalFrames.set(reason, cached);
    }
    writeTo(socket, cached.frame);
    metrics.syncs.add(reason);
  };

  const start = (socket: PostbodeSocket): void => {
    const request = requests.get(socket) ?? { kind: 'none' };
    requests.delete(socket);
    const rooms = roomsOfClaims(socket.data.claims);
    switch (request.kind) {
      case 'none':
        refuse(socket, 'no_cursor');
        break;
      case 'malformed':
        refuse(socket, 'epoch');
        break;
      case 'unavailable':
        refuse(socket, 'unavailable');
        break;
      case 'ready': {
        const epoch = history.epoch ?? '';
        if (request.cursor.epoch !== epoch) {
          refuse(socket, 'epoch');
          break;
        }
        const found = history.index.collect(rooms, request.cursor.offset, recoveryMax);
        if (!found.ok) {
          refuse(socket, found.reason);
          break;
        }
        for (const frame of found.frames) writeTo(socket, eventOfFrame(frame));
        metrics.replayed.inc(found.frames.length);
        const event: SyncEvent = {
          epoch,
          offset: history.index.position,
          recovered: true,
          replayed: found.frames.length,
        };
        writeTo(socket, encodeEventFrame([SYNC_EVENT, event]));
        metrics.syncs.add('recovered');
        break;
      }
      default: {
        const exhaustive: never = request;
        throw new Error(`unknown resume request ${JSON.stringify(exhaustive)}`);
      }
    }
    socket.join(rooms);
  };

  return { middleware, start };
}
