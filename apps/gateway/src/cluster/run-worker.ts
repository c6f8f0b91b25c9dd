import cluster from 'node:cluster';
import { setupWorker } from '@socket.io/sticky';
import type { Server } from 'socket.io';
import type { GatewayConfig } from '../config/gateway-config.js';
import { workerMetrics } from './cluster-metrics.js';
import type { GatewayWorker } from './gateway-worker.js';

/** The message a worker sends the primary once it takes connections. */
export const WORKER_READY = 'postbode:worker-ready';
/** The message a ready worker sends the primary every {@link HEARTBEAT_INTERVAL_MS}. */
export const WORKER_ALIVE = 'postbode:worker-alive';
/** How often a ready worker tells the primary that its event loop runs, in ms. */
export const HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * Tells the primary this worker takes connections, then that it still runs, every
 * {@link HEARTBEAT_INTERVAL_MS} from its event loop: a worker that is stopped or blocked stays
 * silent, and the primary sends new connections elsewhere (`stall-watch.ts`).
 */
export function announceReady(): void {
  process.send?.({ type: WORKER_READY });
  setInterval(() => {
    if (process.connected) process.send?.({ type: WORKER_ALIVE });
  }, HEARTBEAT_INTERVAL_MS).unref();
}

/**
 * Makes this process a worker of `--workers`: its own node id (`<POSTBODE_NODE_ID>:w<n>`, so
 * presence and the backend event stream see each worker as a node), connections from the
 * primary through `@socket.io/sticky`, and `/metrics` for every worker.
 */
export function workerSetup(config: GatewayConfig): {
  config: GatewayConfig;
  worker: GatewayWorker;
  /**
   * Tells the primary this worker takes new sessions once `isReady()` (the stream read, the
   * channel subscribed: a client resuming here is answered from history, not `unavailable`),
   * or after `maxWaitMs` anyway (Redis down: the worker serves and answers `/readyz` 503).
   */
  reportReady(isReady: () => boolean, maxWaitMs?: number): void;
} {
  const id = cluster.worker?.id ?? 0;
  const metrics = workerMetrics();
  return {
    config: { ...config, nodeId: `${config.nodeId}:w${id}` },
    reportReady(isReady, maxWaitMs = 10_000) {
      const since = Date.now();
      const check = (): void => {
        if (isReady() || Date.now() - since >= maxWaitMs) announceReady();
        else setTimeout(check, 25);
      };
      check();
    },
    worker: {
      metrics,
      attach(io, registry) {
        metrics.register(registry);
        setupWorker(io as unknown as Server);
        const host =
          config.host === undefined || config.host === '0.0.0.0' || config.host === '::'
            ? '127.0.0.1'
            : config.host;
        return {
          port: config.port,
          url: `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`,
        };
      },
    },
  };
}
