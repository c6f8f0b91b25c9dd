import type { IncomingMessage, ServerResponse } from 'node:http';
import { echoText } from '@postbode/protocol';
import type { Logger } from '../observability/logger.js';
import type { RouteHandler, RouteTable } from './route-table.js';
import { sendJson } from './send-json.js';

/** Answers each request from the route table; 404 `NOT_FOUND` for anything else. */
export function createRequestHandler(routes: RouteTable, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // The URL is the client's to write: cut before it is repeated in an answer or a log.
    const route = echoText(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
    const handler: RouteHandler =
      (Object.hasOwn(routes, route) ? routes[route as keyof RouteTable] : undefined) ??
      ((_req, response) =>
        sendJson(response, 404, {
          ok: false,
          error: { code: 'NOT_FOUND', message: `no route ${route}` },
        }));
    const fail = (error: unknown): void => {
      logger.error(
        { err: error instanceof Error ? error.message : String(error), route },
        'HTTP handler failed',
      );
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
    };
    try {
      handler(req, res)?.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
