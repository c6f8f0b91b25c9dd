/**
 * The live channel between the backend and the gateway nodes (Redis pub/sub): every node
 * subscribes and delivers to its own sockets. Live only: what is published while a node is not
 * subscribed is lost, and nothing on it is recoverable (the durable stream is).
 */
export interface Bus {
  /** Which implementation this is. */
  readonly kind: 'redis';
  /** True while the bus is subscribed and messages can arrive. */
  readonly ready: boolean;
  /** Connects and subscribes. Resolves at once; readiness follows when subscribed. */
  start(): Promise<void>;
  /** Unsubscribes and disconnects. */
  close(): Promise<void>;
}
