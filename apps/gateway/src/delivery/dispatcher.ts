import { randomUUID } from 'node:crypto';
import type { Meta } from '@postbode/protocol';
import { roomsOfAudience } from '../addressing/rooms.js';
import type { DecodedEnvelope } from '../ingest/decoded-envelope.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Deliver } from './deliver.js';

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  deliver: Deliver;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** What {@link Dispatcher.dispatch} did. */
export interface DispatchResult {
  /** The message id the sockets saw in `meta.id`. */
  id: string;
  /** How many sockets of this node it reached. */
  sockets: number;
}

/** Delivers trusted envelopes to exactly the sockets of this node they are addressed to. */
export interface Dispatcher {
  /** Adds the metadata, resolves the audience to rooms and delivers once per socket. */
  dispatch(envelope: DecodedEnvelope): DispatchResult;
}

/** Creates the dispatcher. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { deliver, metrics, logger } = options;
  return {
    dispatch(envelope) {
      const now = Date.now();
      const meta: Meta = {
        id: envelope.id ?? randomUUID(),
        ts: envelope.ts ?? now,
        site: envelope.site,
      };
      // One delivery to all target rooms: the packet (and its WebSocket frame) is encoded once,
      // and a socket that is in several of the rooms gets it once (deliver.ts).
      const sockets = deliver(roomsOfAudience(envelope), [envelope.action, envelope.data, meta]);
      // The per-envelope metrics are batched until the next scrape (see batched-metrics.ts).
      metrics.envelopesDelivered.add(envelope.action);
      metrics.emitFanout.record(sockets);
      if (envelope.ts !== undefined && now >= envelope.ts) {
        metrics.deliveryLatency.record((now - envelope.ts) / 1000);
      }
      // Checked first: the log object would be built on every envelope otherwise.
      if (logger.isLevelEnabled('debug')) {
        logger.debug(
          { id: meta.id, action: envelope.action, site: envelope.site, sockets },
          'delivered',
        );
      }
      return { id: meta.id, sockets };
    },
  };
}
