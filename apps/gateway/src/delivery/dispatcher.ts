import type { Meta } from '@postbode/protocol';
import { roomsOfAudience } from '../addressing/rooms.js';
import type { DecodedEnvelope } from '../ingest/decoded-envelope.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Deliver } from './deliver.js';
import { type EventFrame, encodeMessageFrame } from './event-frame.js';

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  deliver: Deliver;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** What {@link Dispatcher.dispatch} did. */
export interface DispatchResult {
  /** The rooms the audience resolved to. */
  rooms: string[];
  /** How many sockets of this node it reached. */
  sockets: number;
  /** The encoded event every socket got (event-frame.ts): what the history retains. */
  event: EventFrame;
}

/** Delivers trusted envelopes to exactly the sockets of this node they are addressed to. */
export interface Dispatcher {
  /**
   * Resolves the audience to rooms and delivers `[action, data, meta]` once per socket;
   * `dataJson`, when given, is `data` as the publisher wrote it (the decoder's).
   */
  dispatch(
    envelope: DecodedEnvelope,
    meta: Meta,
    now: number,
    dataJson?: Buffer | undefined,
  ): DispatchResult;
}

/** Creates the dispatcher. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { deliver, metrics, logger } = options;
  return {
    dispatch(envelope, meta, now, dataJson) {
      const rooms = roomsOfAudience(envelope);
      // One delivery to all target rooms: the packet (and its WebSocket frame) is encoded once,
      // and a socket that is in several of the rooms gets it once (deliver.ts).
      const event = encodeMessageFrame(envelope.action, envelope.data, meta, dataJson);
      const sockets = deliver(rooms, event);
      // The per-envelope metrics are batched until the next scrape (see batched-metrics.ts).
      metrics.envelopesDelivered.add(envelope.action);
      metrics.emitFanout.record(sockets);
      if (envelope.ts !== undefined && now >= envelope.ts) {
        metrics.deliveryLatency.record((now - envelope.ts) / 1000);
      }
      // Checked first: the log object would be built on every envelope otherwise.
      if (logger.isLevelEnabled('debug')) {
        logger.debug(
          {
            id: meta.id,
            offset: meta.offset,
            action: envelope.action,
            site: envelope.site,
            sockets,
          },
          'delivered',
        );
      }
      return { rooms, sockets, event };
    },
  };
}
