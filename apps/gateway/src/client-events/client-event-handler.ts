import { randomUUID } from 'node:crypto';
import {
  type BackendEvent,
  CLIENT_EVENT,
  type ClientEventAck,
  clientActions,
  ERROR_EVENT,
  type ErrorShape,
} from '@postbode/protocol';
import type { PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { checkClientEventData, readClientEventHead } from './read-client-event.js';
import { relayEnvelope } from './relay-envelope.js';
import { createSocketLimits, type RefusalBudget } from './socket-limits.js';

/** Options of {@link createClientEventHandler}. */
export interface ClientEventHandlerOptions {
  /**
   * Appends a backend event to the event stream, resolving once Redis has it; `undefined` on
   * the embedded bus (no Redis), where backend actions are answered `UNAVAILABLE`.
   */
  append: ((event: BackendEvent) => Promise<string>) | undefined;
  /** Hands a relayed envelope (JSON) to every node's edge decoder; resolves once it is taken. */
  relay(envelopeJson: string): Promise<void>;
  /** This node's id (`POSTBODE_NODE_ID`), written in each entry. */
  nodeId: string;
  /** When a socket is disconnected for sending past its limits. */
  refusalBudget: RefusalBudget;
  metrics: GatewayMetrics;
  logger: Logger;
}

type Ack = (answer: ClientEventAck) => void;

/**
 * The `postbode:event` stage (contract 8): registers, on each socket, the handler that reads a
 * client action, limits it, validates it, and appends it to the backend event stream or relays
 * it, then acknowledges. Never throws out of the handler; never waits for PHP.
 */
export function createClientEventHandler(options: ClientEventHandlerOptions) {
  const { append, relay, nodeId, refusalBudget, metrics, logger } = options;

  return (socket: PostbodeSocket): void => {
    const limits = createSocketLimits(refusalBudget);
    const answer = (ack: Ack | undefined, reply: ClientEventAck, action: string) => {
      metrics.clientEvents.inc({ action, outcome: reply.ok ? 'ok' : reply.error.code });
      ack?.(reply);
    };
    const refuse = (ack: Ack | undefined, error: ErrorShape, action: string, now: number) => {
      answer(ack, { ok: false, error }, action);
      if (error.code === 'UNAVAILABLE' || limits.refuse(now)) return;
      // Past its limits again and again: cut it (contract 8). A server-side disconnect also
      // stops socket.io-client from reconnecting by itself.
      const { sub, site } = socket.data.claims;
      logger.warn(
        { sub, site, code: error.code },
        'client events: socket past its limits, disconnected',
      );
      metrics.clientEventSocketsCut.inc();
      socket.emit(ERROR_EVENT, {
        code: 'RATE_LIMITED',
        message: 'too many refused client events: disconnected',
      });
      socket.disconnect(true);
    };

    // What arrives is untrusted, whatever the event map says: read as unknown.
    socket.on(CLIENT_EVENT, (packet: unknown, maybeAck: unknown) => {
      const ack = typeof maybeAck === 'function' ? (maybeAck as Ack) : undefined;
      const now = Date.now();
      const head = readClientEventHead(packet);
      if (!head.ok) return refuse(ack, head.error, 'unknown', now);
      const { action, data } = head.event;
      if (!limits.take(action, now)) {
        const { burst, refillPerSecond } = clientActions[action].limits;
        const message = `more than ${burst} '${action}' at once or ${refillPerSecond}/s; slow down`;
        return refuse(ack, { code: 'RATE_LIMITED', message }, action, now);
      }
      const checked = checkClientEventData(head.event);
      if (!checked.ok) return refuse(ack, checked.error, action, now);
      const id = head.event.id ?? randomUUID();
      const { claims } = socket.data;
      const unavailable = (reason: string) =>
        refuse(ack, { code: 'UNAVAILABLE', message: reason }, action, now);

      const route = clientActions[action].route;
      switch (route) {
        case 'backend': {
          if (append === undefined) {
            return unavailable(
              'no backend event stream: this gateway runs the embedded bus (no POSTBODE_REDIS_URL)',
            );
          }
          // site and user come from the verified token, never from the client.
          const event: BackendEvent = {
            action,
            site: claims.site,
            user: claims.sub,
            id,
            ts: now,
            node: nodeId,
            data: JSON.parse(checked.json) as Record<string, unknown>,
          };
          append(event).then(
            () => answer(ack, { ok: true, id }, action),
            (error: Error) => unavailable(`the event was not stored: ${error.message}`),
          );
          return;
        }
        case 'relay': {
          const { recipient, json } = relayEnvelope(action, data, claims, id, now);
          if (json === undefined) {
            const message = `this token may not send '${action}' to user '${recipient}' (relayTo claim)`;
            return refuse(ack, { code: 'UNAUTHORIZED', message }, action, now);
          }
          relay(json).then(
            () => answer(ack, { ok: true, id }, action),
            (error: Error) => unavailable(`the event was not relayed: ${error.message}`),
          );
          return;
        }
        default: {
          const never: never = route;
          throw new TypeError(`unknown route ${String(never)}`);
        }
      }
    });
  };
}
