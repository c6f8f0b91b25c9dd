import type { DecodedEnvelope } from './decoded-envelope.js';

/**
 * The message bus between the backend and the gateway nodes. Every node subscribes and
 * delivers to its own sockets, so N gateways on one Redis need no socket.io adapter.
 */
export interface Bus {
  /** Which implementation this is. */
  readonly kind: 'redis' | 'memory';
  /** True while the bus is subscribed and messages can arrive. */
  readonly ready: boolean;
  /** Connects and subscribes. Resolves at once; readiness follows when subscribed. */
  start(): Promise<void>;
  /** Publishes an envelope (already decoded here) to every node. Rejects when it cannot. */
  publish(envelope: DecodedEnvelope): Promise<void>;
  /** Unsubscribes and disconnects. */
  close(): Promise<void>;
}
