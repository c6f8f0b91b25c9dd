import { randomUUID } from 'node:crypto';
import { type AnyEnvelope, type EnvelopeError, type Meta, parseEnvelope } from '@postbode/protocol';
import type { Server } from 'socket.io';
import type { EnvelopeSource } from './bus/bus.js';
import { createDeliver } from './deliver.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { roleRoom, siteRoom, userRoom } from './rooms.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  io: Server;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Largest accepted envelope, in bytes; checked before parsing. */
  maxEnvelopeBytes: number;
}

/** What {@link Router.route} did with a message. */
export type RouteResult =
  | { ok: true; id: string; sockets: number }
  | { ok: false; error: EnvelopeError };

/** Takes raw messages from the bus and emits each to exactly the sockets it is addressed to. */
export interface Router {
  /** Validates and delivers one raw message. Never throws. */
  route(raw: Buffer | string, source: EnvelopeSource): RouteResult;
  /** Logs and counts a rejected envelope (also used by `POST /publish`). */
  reject(error: EnvelopeError, source: EnvelopeSource): void;
}

/** The rooms an audience maps to. `all` covers every user and role room of the site. */
export function roomsOf(envelope: AnyEnvelope): string[] {
  const { to, site } = envelope;
  if (to.all === true) return [siteRoom(site)];
  const rooms: string[] = [];
  for (const user of to.users ?? []) rooms.push(userRoom(site, user));
  for (const role of to.roles ?? []) rooms.push(roleRoom(site, role));
  return rooms;
}

/** Creates the router. */
export function createRouter(options: RouterOptions): Router {
  const { io, metrics, logger, maxEnvelopeBytes } = options;
  const deliver = createDeliver(io);

  const reject = (error: EnvelopeError, source: EnvelopeSource): void => {
    metrics.envelopesRejected.inc({ code: error.code, source });
    // One line, never the payload: code, action, site, first failing path and why.
    logger.warn(
      { code: error.code, action: error.action, site: error.site, path: error.path, source },
      `envelope rejected: ${error.message}`,
    );
  };

  return {
    reject,
    route(raw, source) {
      metrics.envelopesReceived.add(source);
      if (raw.length > maxEnvelopeBytes) {
        // Buffer length is bytes; a string's length is a lower bound of its bytes.
        const error: EnvelopeError = {
          code: 'TOO_LARGE',
          message: `envelope is larger than ${maxEnvelopeBytes} bytes`,
        };
        reject(error, source);
        return { ok: false, error };
      }
      const result = parseEnvelope(typeof raw === 'string' ? raw : raw.toString('utf8'), {
        maxBytes: maxEnvelopeBytes,
      });
      if (!result.ok) {
        reject(result.error, source);
        return result;
      }
      const { envelope } = result;
      const now = Date.now();
      const meta: Meta = {
        id: envelope.id ?? randomUUID(),
        ts: envelope.ts ?? now,
        site: envelope.site,
      };
      const rooms = roomsOf(envelope);
      // One delivery to all target rooms: the packet (and its WebSocket frame) is encoded once,
      // and a socket that is in several of the rooms gets it once (deliver.ts).
      const sockets = deliver(rooms, [envelope.action, envelope.data, meta]);
      // The per-envelope metrics are batched until the next scrape (see batched-metrics.ts).
      metrics.envelopesDelivered.add(envelope.action);
      metrics.emitFanout.record(sockets);
      if (envelope.ts !== undefined && now >= envelope.ts) {
        metrics.deliveryLatency.record((now - envelope.ts) / 1000);
      }
      // Checked first: the log object would be built on every envelope otherwise.
      if (logger.isLevelEnabled('debug')) {
        logger.debug(
          { id: meta.id, action: envelope.action, site: envelope.site, sockets, source },
          'delivered',
        );
      }
      return { ok: true, id: meta.id, sockets };
    },
  };
}
