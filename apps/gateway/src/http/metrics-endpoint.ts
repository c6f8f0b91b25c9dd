import type { Registry } from 'prom-client';
import type { RouteHandler } from './route-table.js';

/** `GET /metrics`: the registry in Prometheus text format. */
export function metricsEndpoint(registry: Registry): RouteHandler {
  return async (_req, res) => {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
  };
}
