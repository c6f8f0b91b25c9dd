import { SYNC_EVENT, type SyncEvent, type SyncReason } from '@postbode/protocol';
import { roomsOfAudience } from '../addressing/rooms.js';
import type { PostbodeServer } from '../connection/socket-types.js';
import type { Dispatcher } from '../delivery/dispatcher.js';
import { type EventFrame, encodeMessageFrame } from '../delivery/event-frame.js';
import { messageMeta } from '../delivery/message-meta.js';
import type { DecodedEnvelope } from '../ingest/decoded-envelope.js';
import type { DurableLogSink } from '../ingest/durable-log.js';
import type { EnvelopeDecoder } from '../ingest/envelope-decoder.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { HistoryIndex, type HistoryLimits } from './history-index.js';
import { streamIdTime } from './stream-id.js';

/** Options of {@link createHistoryStage}. */
export interface HistoryStageOptions {
  limits: HistoryLimits;
  decoder: EnvelopeDecoder;
  dispatcher: Dispatcher;
  io: PostbodeServer;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** The history stage: what durable logs feed, and what resumes are answered from. */
export interface HistoryStage extends DurableLogSink {
  readonly index: HistoryIndex;
  /** The epoch of the history the index holds; undefined before the first backfill. */
  readonly epoch: string | undefined;
}

/**
 * Between the durable log and the sockets: each entry is decoded at the edge, retained in the
 * index and, when live, dispatched with its offset. When history is lost under connected
 * sockets, each gets `postbode:sync { recovered: false, reason }` with a new valid offset.
 */
export function createHistoryStage(options: HistoryStageOptions): HistoryStage {
  const { decoder, dispatcher, io, metrics, logger } = options;
  const index = new HistoryIndex(options.limits);
  let epoch: string | undefined;

  const tellConnected = (reason: SyncReason): void => {
    if (epoch === undefined) return;
    const event: SyncEvent = {
      epoch,
      offset: index.position,
      recovered: false,
      replayed: 0,
      reason,
    };
    io.emit(SYNC_EVENT, event);
    metrics.resyncs.inc({ reason }, io.of('/').sockets.size);
  };

  const retain = (
    offset: string,
    envelope: DecodedEnvelope,
    bytes: number,
    live: boolean,
    dataJson: Buffer | undefined,
  ): void => {
    const now = Date.now();
    const meta = messageMeta(envelope, offset, now);
    let rooms: string[];
    let event: EventFrame;
    if (live) {
      ({ rooms, event } = dispatcher.dispatch(envelope, meta, now, dataJson));
    } else {
      rooms = roomsOfAudience(envelope);
      event = encodeMessageFrame(envelope.action, envelope.data, meta, dataJson);
    }
    index.append(
      {
        offset,
        time: streamIdTime(offset),
        rooms,
        frame: event.options.wsPreEncodedFrame[0],
        bytes,
      },
      now,
    );
  };

  return {
    index,
    get epoch() {
      return epoch;
    },
    reset(next, position, boundary, reason) {
      const previous = epoch;
      epoch = next;
      index.reset(position, boundary);
      if (reason === 'epoch' && previous !== undefined) tellConnected('epoch');
    },
    entry(offset, raw, live) {
      if (raw === undefined) {
        decoder.refuseMissingEnvelope(offset);
        index.advance(offset);
        return;
      }
      const result = decoder.decode(raw, 'stream');
      if (!result.ok) {
        index.advance(offset);
        return;
      }
      retain(offset, result.envelope, raw.length, live, result.dataJson);
    },
    decoded(offset, envelope) {
      retain(offset, envelope, JSON.stringify(envelope.data).length, true, undefined);
    },
    lost(offset) {
      index.markLost(offset);
      index.advance(offset);
      logger.warn(
        { offset },
        'history lost before this node read it; connected sockets resynchronise',
      );
      tellConnected('trimmed');
    },
  };
}
