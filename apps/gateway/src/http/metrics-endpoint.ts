import type { RouteHandler } from './route-table.js';

/** What `GET /metrics` renders: a prom-client `Registry`, or every worker's metrics. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** `GET /metrics`: the source in Prometheus text format. */
export function metricsEndpoint(source: MetricsSource): RouteHandler {
  return async (_req, res) => {
    const text = await source.metrics();
    res.writeHead(200, { 'content-type': source.contentType });
    res.end(text);
  };
}
