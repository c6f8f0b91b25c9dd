import type { IncomingMessage } from 'node:http';
import { echoText } from '@postbode/protocol';
import type { Logger } from '../observability/logger.js';

/** socket.io's `allowRequest` callback. */
export type AllowRequest = (
  req: IncomingMessage,
  callback: (error: string | null | undefined, success: boolean) => void,
) => void;

/** Options of {@link createAllowRequest}. */
export interface OriginPolicyOptions {
  /** `'*'`: any origin; a list: those origins; unset: same origin only. */
  corsOrigins: '*' | string[] | undefined;
  /** True once shutdown has begun: every new connection is refused. */
  isShuttingDown(): boolean;
  logger: Logger;
}

/** Same-origin check for browsers: the Origin's host is the Host the request was sent to. */
function isSameOrigin(req: IncomingMessage, origin: string): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Which handshakes may open a connection: none while shutting down; clients without an
 * `Origin` (servers, tests) always; browsers when same-origin or allow-listed.
 */
export function createAllowRequest(options: OriginPolicyOptions): AllowRequest {
  const { corsOrigins, isShuttingDown, logger } = options;
  return (req, callback) => {
    if (isShuttingDown()) return callback('shutting down', false);
    const origin = req.headers.origin;
    if (
      origin === undefined ||
      corsOrigins === '*' ||
      isSameOrigin(req, origin) ||
      corsOrigins?.includes(origin)
    ) {
      return callback(null, true);
    }
    // The header is the client's to write: cut before it is logged.
    logger.info(
      { origin: echoText(origin) },
      'connection refused: origin not in POSTBODE_CORS_ORIGINS',
    );
    return callback('origin not allowed', false);
  };
}
