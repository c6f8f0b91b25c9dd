import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import { sendJson } from './send-json.js';

/** Options of {@link createRequestHandler}. */
export interface RequestHandlerOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /** True when the gateway can deliver: bus subscribed and not shutting down. */
  isReady: () => { ready: boolean; bus: boolean; shuttingDown: boolean };
  /** `POST /publish`, when a publish key is configured. */
  publish?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** The HTTP endpoints beside socket.io: health, readiness, metrics and publish. */
export function createRequestHandler(options: RequestHandlerOptions) {
  const { metrics, logger, isReady, publish } = options;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    const handle = async (): Promise<void> => {
      switch (route) {
        case 'GET /healthz':
          sendJson(res, 200, { status: 'ok' });
          return;
        case 'GET /readyz': {
          const state = isReady();
          sendJson(res, state.ready ? 200 : 503, {
            status: state.ready ? 'ready' : 'not ready',
            bus: state.bus ? 'subscribed' : 'not subscribed',
            shuttingDown: state.shuttingDown,
          });
          return;
        }
        case 'GET /metrics': {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
          return;
        }
        case 'POST /publish':
          if (publish === undefined) {
            sendJson(res, 404, {
              ok: false,
              error: {
                code: 'NOT_FOUND',
                message: 'POST /publish is disabled: set POSTBODE_PUBLISH_KEY to enable it',
              },
            });
            return;
          }
          await publish(req, res);
          return;
        default:
          sendJson(res, 404, {
            ok: false,
            error: { code: 'NOT_FOUND', message: `no route ${route}` },
          });
      }
    };
    handle().catch((error: unknown) => {
      logger.error(
        { err: error instanceof Error ? error.message : String(error), route },
        'HTTP handler failed',
      );
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
    });
  };
}
