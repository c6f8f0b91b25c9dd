import { type Server as HttpServer, type IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { ConnectionLimitsConfig } from '../config/gateway-config.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createAddressLimits } from './address-limits.js';
import { createAllowRequest } from './origin-policy.js';
import type { PostbodeServer } from './socket-types.js';

/** Options of {@link createSocketServer}. */
export interface SocketServerOptions {
  /** Largest packet a client may send, in bytes; a larger one closes its connection. */
  maxClientPacketBytes: number;
  /** `'*'`: any origin; a list: those origins; unset: same origin only. */
  corsOrigins: '*' | string[] | undefined;
  /** True once shutdown has begun: every new connection is refused. */
  isShuttingDown(): boolean;
  /** Per-address limits, the trusted proxy header, the unauthenticated timeout. */
  limits: ConnectionLimitsConfig;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * The socket.io server on `httpServer`: websocket with long-polling fallback, no per-message
 * deflate, the origin policy, and no per-socket copy of the handshake request.
 */
export function createSocketServer(
  httpServer: HttpServer,
  options: SocketServerOptions,
): PostbodeServer {
  const { corsOrigins } = options;
  const originPolicy = createAllowRequest(options);
  const addressLimits = createAddressLimits(options);
  httpServer.once('close', () => addressLimits.close());
  const io: PostbodeServer = new Server(httpServer, {
    path: '/socket.io',
    transports: ['polling', 'websocket'],
    maxHttpBufferSize: options.maxClientPacketBytes,
    perMessageDeflate: false,
    serveClient: false,
    // Origin first (a refused origin does not spend the address's handshakes), then the
    // per-address limits.
    allowRequest: (req, callback) =>
      originPolicy(req, (error, allowed) =>
        allowed ? addressLimits.allowRequest(req, callback) : callback(error, false),
      ),
    // A connection without an authenticated socket (no CONNECT, or only refused ones) is
    // closed after this long: unauthenticated connections do not sit on the node.
    connectTimeout: options.limits.authTimeoutMs,
    ...(corsOrigins === undefined ? {} : { cors: { origin: corsOrigins } }),
  });
  // The handshake request is not needed after authentication; dropping it saves memory per
  // socket (socket.io's performance tuning guide,
  // https://socket.io/docs/v4/performance-tuning/#discard-the-initial-http-request).
  io.engine.on('connection', (rawSocket: Parameters<typeof addressLimits.track>[0]) => {
    addressLimits.track(rawSocket);
    rawSocket.request = null;
  });
  // The guide's tip alone frees nothing for WebSocket connections on engine.io 6: the stand-in
  // response engine.io builds for an upgrade keeps the request, and a 'close' listener on the
  // TCP socket keeps that response for the connection's lifetime (about 1.5 KiB of heap per
  // socket, measured by `pnpm bench`). Middlewares run synchronously inside the upgrade, so
  // once `next()` returns nothing reads the stand-in's request again.
  io.engine.use((_req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => {
    next();
    if (!(res instanceof ServerResponse) && typeof res === 'object' && res !== null) {
      (res as { req?: unknown }).req = null;
    }
  });
  return io;
}
