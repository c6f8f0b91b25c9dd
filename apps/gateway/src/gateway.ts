import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { authenticate } from './auth/authenticate.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { Bus } from './bus/bus.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import type { GatewayConfig } from './config.js';
import { handleConnection } from './connection-handler.js';
import { createPublishEndpoint } from './http/publish-endpoint.js';
import { createRequestHandler } from './http/request-handler.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { createRouter, type Router } from './router.js';

/** Programmatic options of {@link startGateway}, beside the configuration. */
export interface GatewayOptions {
  /**
   * Where logs go.
   * @default a pino JSON logger on stdout at `config.logLevel`
   */
  logger?: Logger;
  /**
   * Largest packet a client may send, in bytes (clients send little: the handshake with its
   * token). A larger one closes that client's connection.
   * @default 16384
   */
  maxClientPacketBytes?: number;
  /**
   * How long `close()` waits for connections to end before cutting them, in ms.
   * @default 5000
   */
  shutdownTimeoutMs?: number;
}

/** The defaults of {@link GatewayOptions}. */
export const GATEWAY_DEFAULTS = {
  maxClientPacketBytes: 16 * 1024,
  shutdownTimeoutMs: 5_000,
} as const satisfies Required<Omit<GatewayOptions, 'logger'>>;

/** A running gateway. */
export interface Gateway {
  /** The socket.io server. */
  readonly io: Server;
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly router: Router;
  readonly bus: Bus;
  /** True while the bus is subscribed and the gateway is not shutting down. */
  readonly ready: boolean;
  /**
   * Graceful shutdown: readiness goes 503, new connections are refused, every socket's
   * transport is closed (clients reconnect, elsewhere if there is an elsewhere), the bus quits.
   */
  close(): Promise<void>;
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
 * Starts a gateway: HTTP and socket.io on one port, JWT authentication, the bus, routing.
 *
 * @example
 * const gateway = await startGateway(parseConfig({ POSTBODE_JWT_SECRET: 's3cret', POSTBODE_PORT: '0' }));
 * console.log(gateway.url);
 * await gateway.close();
 */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const settings = { ...GATEWAY_DEFAULTS, ...options };
  const logger = options.logger ?? createLogger(config.logLevel);
  let lastBusMessageAt: number | undefined;
  const metrics = createMetrics(() => lastBusMessageAt);
  let shuttingDown = false;

  // socket.io takes over the 'request' listeners present when it attaches and forwards only
  // non-socket.io requests to them: ours must be there first, so it is bound late.
  let handleRequest: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = createServer((req, res) => handleRequest(req, res));
  const allowList = config.corsOrigins;
  const socketOptions: Partial<ServerOptions> = {
    path: '/socket.io',
    transports: ['polling', 'websocket'],
    maxHttpBufferSize: settings.maxClientPacketBytes,
    perMessageDeflate: false,
    serveClient: false,
    allowRequest: (req, callback) => {
      if (shuttingDown) return callback('shutting down', false);
      const origin = req.headers.origin;
      // Non-browser clients send no Origin; browsers must be same-origin or allow-listed.
      if (
        origin === undefined ||
        allowList === '*' ||
        isSameOrigin(req, origin) ||
        allowList?.includes(origin)
      ) {
        return callback(null, true);
      }
      logger.info({ origin }, 'connection refused: origin not in POSTBODE_CORS_ORIGINS');
      return callback('origin not allowed', false);
    },
    ...(allowList === undefined ? {} : { cors: { origin: allowList === '*' ? '*' : allowList } }),
  };
  const io = new Server(httpServer, socketOptions);
  // The handshake request is not needed after authentication; dropping it saves memory per
  // socket (socket.io's performance tuning guide,
  // https://socket.io/docs/v4/performance-tuning/#discard-the-initial-http-request).
  io.engine.on('connection', (rawSocket: { request: unknown }) => {
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

  const router = createRouter({ io, metrics, logger, maxEnvelopeBytes: config.maxEnvelopeBytes });
  const onMessage = (raw: Buffer | string, source: 'redis' | 'memory' | 'http'): void => {
    lastBusMessageAt = Date.now();
    router.route(raw, source);
  };
  const bus: Bus =
    config.redisUrl === undefined
      ? createMemoryBus(onMessage)
      : createRedisBus({
          url: config.redisUrl,
          channel: config.channel,
          logger,
          metrics,
          onMessage,
        });

  const verifier = createTokenVerifier(config.jwt);
  io.use(authenticate(verifier, metrics, logger));
  io.on(
    'connection',
    handleConnection({ metrics, logger, clockToleranceSeconds: config.jwt.clockToleranceSeconds }),
  );

  const publish =
    config.publishKey === undefined
      ? undefined
      : createPublishEndpoint({ publishKey: config.publishKey, bus, router, metrics, logger });
  const isReady = () => ({ ready: bus.ready && !shuttingDown, bus: bus.ready, shuttingDown });
  handleRequest = createRequestHandler({
    metrics,
    logger,
    isReady,
    ...(publish === undefined ? {} : { publish }),
  });

  await bus.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    const onListening = (): void => {
      httpServer.off('error', reject);
      resolve();
    };
    if (config.host === undefined) httpServer.listen(config.port, onListening);
    else httpServer.listen(config.port, config.host, onListening);
  });
  const port = (httpServer.address() as AddressInfo).port;
  const displayHost =
    config.host === undefined || config.host === '0.0.0.0' || config.host === '::'
      ? '127.0.0.1'
      : config.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;

  // RFC 7518 §3.2: an HS256 key must have at least 256 bits. Accepted (legacy backends may have
  // shorter secrets), but said; the generated TokenIssuer refuses such secrets.
  if (config.jwt.key.kind === 'secret' && Buffer.byteLength(config.jwt.key.secret) < 32) {
    logger.warn(
      'POSTBODE_JWT_SECRET is shorter than 32 bytes: HS256 asks for at least 32 (RFC 7518 section 3.2); use a longer secret',
    );
  }
  if (bus.kind === 'memory') {
    logger.warn(
      publish === undefined
        ? 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process); POSTBODE_PUBLISH_KEY is not set either, so nothing can publish'
        : 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process, publish only through POST /publish); for development only',
    );
  }
  logger.info(
    {
      port,
      bus: bus.kind,
      channel: config.channel,
      publish: publish !== undefined,
      algorithms: config.jwt.algorithms,
    },
    `postbode gateway listening on ${url}`,
  );

  let closed: Promise<void> | undefined;
  return {
    io,
    port,
    url,
    metrics,
    logger,
    router,
    bus,
    get ready() {
      return isReady().ready;
    },
    close() {
      closed ??= (async () => {
        shuttingDown = true;
        logger.info('shutting down: closing sockets so clients reconnect');
        const cut = setTimeout(() => httpServer.closeAllConnections(), settings.shutdownTimeoutMs);
        cut.unref();
        // io.close() closes every socket's transport (clients see "transport close" and
        // reconnect) and the HTTP server.
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeIdleConnections();
        });
        clearTimeout(cut);
        await bus.close();
        logger.info('shut down');
      })();
      return closed;
    },
  };
}
