/** Where an envelope came from. */
export type EnvelopeSource = 'redis' | 'memory' | 'http';

/** Called with every raw message the bus receives (untrusted: the router validates it). */
export type BusMessageHandler = (raw: Buffer | string, source: EnvelopeSource) => void;

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
  /** Publishes a raw envelope to every node (POST /publish). Rejects when it cannot. */
  publish(raw: string): Promise<void>;
  /** Unsubscribes and disconnects. */
  close(): Promise<void>;
}
