import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { MetricsSource } from '../http/metrics-endpoint.js';

// `GET /metrics` reaches one worker (the primary only routes connections); that worker asks the
// primary, which collects every worker's registry with prom-client's cluster aggregation.

const REQUEST = 'postbode:metrics-request';
const RESPONSE = 'postbode:metrics-response';
/** A worker waits this long for the primary's answer, in ms (prom-client waits 5 s for workers). */
const TIMEOUT_MS = 6_000;

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}
interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In the primary: answers the workers' metrics requests with every worker's metrics, summed
 * per series (gauges say in `metrics.ts` when they are a minimum or a maximum instead).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if ((message as MetricsRequest | undefined)?.type !== REQUEST) return;
    const { id } = message as MetricsRequest;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id, text } satisfies MetricsResponse),
      (error: Error) =>
        worker.send({ type: RESPONSE, id, error: error.message } satisfies MetricsResponse),
    );
  });
}

/**
 * In a worker: its registry is what the primary aggregates, and `GET /metrics` answers with
 * the aggregate of every worker.
 */
export function workerMetrics(): MetricsSource & { register(registry: Registry): void } {
  let next = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  process.on('message', (message: unknown) => {
    const response = message as MetricsResponse | undefined;
    if (response?.type !== RESPONSE) return;
    const waiter = pending.get(response.id);
    pending.delete(response.id);
    if (response.text !== undefined) waiter?.resolve(response.text);
    else waiter?.reject(new Error(response.error ?? 'no metrics from the primary'));
  });
  return {
    contentType: Registry.PROMETHEUS_CONTENT_TYPE,
    register(registry) {
      AggregatorRegistry.setRegistries([registry]);
      // prom-client answers the primary's requests only once an AggregatorRegistry exists in
      // the worker (its constructor adds the listener).
      new AggregatorRegistry();
    },
    metrics() {
      const id = next++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the primary did not answer within ${TIMEOUT_MS} ms`));
        }, TIMEOUT_MS);
        pending.set(id, {
          resolve: (text) => {
            clearTimeout(timer);
            resolve(text);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        process.send?.({ type: REQUEST, id } satisfies MetricsRequest);
      });
    },
  };
}
