import type { RouteHandler } from './route-table.js';
import { sendJson } from './send-json.js';

/** What readiness is made of. */
export interface Readiness {
  /** True when the gateway can deliver: bus subscribed and not shutting down. */
  ready: boolean;
  bus: boolean;
  shuttingDown: boolean;
}

/** `GET /healthz`: 200 while the process runs. */
export const healthz: RouteHandler = (_req, res) => {
  sendJson(res, 200, { status: 'ok' });
};

/** `GET /readyz`: 200 while ready, 503 otherwise, with what it is made of. */
export function readyz(isReady: () => Readiness): RouteHandler {
  return (_req, res) => {
    const state = isReady();
    sendJson(res, state.ready ? 200 : 503, {
      status: state.ready ? 'ready' : 'not ready',
      bus: state.bus ? 'subscribed' : 'not subscribed',
      shuttingDown: state.shuttingDown,
    });
  };
}
