import type { Registry } from 'prom-client';
import type { PostbodeServer } from '../connection/socket-types.js';
import type { MetricsSource } from '../http/metrics-endpoint.js';
import type { ListenAddress } from '../lifecycle/listen.js';

/**
 * What a gateway needs to run as a worker of `--workers` (see `run-worker.ts`): the primary
 * owns the port and hands it connections, and `/metrics` answers for every worker.
 */
export interface GatewayWorker {
  /**
   * Called instead of listening, once socket.io and the HTTP routes are set up: from now on
   * connections come from the primary. `registry` is this worker's, for the aggregation.
   * Returns the primary's address.
   */
  attach(io: PostbodeServer, registry: Registry): ListenAddress;
  /** What `GET /metrics` answers. */
  readonly metrics: MetricsSource;
}
