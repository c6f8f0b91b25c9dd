import { createServer, type RequestListener } from 'node:http';
import type { GatewayConfig } from './config/gateway-config.js';
import { startupWarnings } from './config/startup-warnings.js';
import { authenticate } from './connection/authenticate.js';
import { handleConnection } from './connection/connection-handler.js';
import { createSocketServer } from './connection/socket-server.js';
import { createTokenVerifier } from './connection/token-verifier.js';
import { createDeliver } from './delivery/deliver.js';
import { createDispatcher } from './delivery/dispatcher.js';
import { healthz, readyz } from './http/health-endpoints.js';
import { metricsEndpoint } from './http/metrics-endpoint.js';
import { createPublishEndpoint } from './http/publish-endpoint.js';
import { createRequestHandler } from './http/request-handler.js';
import type { Bus } from './ingest/bus.js';
import { createEnvelopeDecoder } from './ingest/envelope-decoder.js';
import type { EnvelopeSource } from './ingest/envelope-source.js';
import { createMemoryBus } from './ingest/memory-bus.js';
import { createRedisBus } from './ingest/redis-bus.js';
import { listen } from './lifecycle/listen.js';
import { shutdown } from './lifecycle/shutdown.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';

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

/** A running gateway: what an embedder needs to reach it, watch it and stop it. */
export interface Gateway {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly url: string;
  /** The logger it writes to. */
  readonly logger: Logger;
  /** True while the bus is subscribed and the gateway is not shutting down (`GET /readyz`). */
  readonly ready: boolean;
  /**
   * Graceful shutdown: readiness goes 503, new connections are refused, every socket's
   * transport is closed (clients reconnect, elsewhere if there is an elsewhere), the bus quits.
   */
  close(): Promise<void>;
}

/**
 * Starts a gateway: HTTP and socket.io on one port, and the pipeline
 * ingest (bus, `POST /publish`) → edge decoder → dispatcher → sockets.
 * This function only composes; each stage lives in its folder.
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

  // Connections: socket server, authentication, rooms and token expiry per socket.
  const io = createSocketServer(httpServer, {
    maxClientPacketBytes: settings.maxClientPacketBytes,
    corsOrigins: config.corsOrigins,
    isShuttingDown: () => shuttingDown,
    logger,
  });
  io.use(authenticate(createTokenVerifier(config.jwt), metrics, logger));
  io.on(
    'connection',
    handleConnection({ metrics, logger, clockToleranceSeconds: config.jwt.clockToleranceSeconds }),
  );

  // Ingest → edge → dispatch.
  const decoder = createEnvelopeDecoder({
    metrics,
    logger,
    maxEnvelopeBytes: config.maxEnvelopeBytes,
  });
  const dispatcher = createDispatcher({ deliver: createDeliver(io, metrics), metrics, logger });
  const ingest = (raw: Buffer | string, source: EnvelopeSource): void => {
    lastBusMessageAt = Date.now();
    const result = decoder.decode(raw, source);
    if (result.ok) dispatcher.dispatch(result.envelope);
  };
  const bus: Bus =
    config.redisUrl === undefined
      ? createMemoryBus((envelope) => {
          lastBusMessageAt = Date.now();
          dispatcher.dispatch(envelope);
        })
      : createRedisBus({
          url: config.redisUrl,
          channel: config.channel,
          logger,
          metrics,
          onMessage: ingest,
        });

  // HTTP beside socket.io.
  const isReady = () => ({ ready: bus.ready && !shuttingDown, bus: bus.ready, shuttingDown });
  handleRequest = createRequestHandler(
    {
      'GET /healthz': healthz,
      'GET /readyz': readyz(isReady),
      'GET /metrics': metricsEndpoint(metrics.registry),
      'POST /publish': createPublishEndpoint({
        publishKey: config.publishKey,
        bus,
        decoder,
        metrics,
        logger,
      }),
    },
    logger,
  );

  await bus.start();
  const { port, url } = await listen(httpServer, config.port, config.host);
  for (const warning of startupWarnings(config)) logger.warn(warning);
  logger.info(
    {
      port,
      bus: bus.kind,
      channel: config.channel,
      publish: config.publishKey !== undefined,
      algorithms: config.jwt.algorithms,
    },
    `postbode gateway listening on ${url}`,
  );

  let closed: Promise<void> | undefined;
  return {
    port,
    url,
    logger,
    get ready() {
      return isReady().ready;
    },
    close() {
      shuttingDown = true;
      closed ??= shutdown({
        io,
        httpServer,
        bus,
        logger,
        timeoutMs: settings.shutdownTimeoutMs,
      });
      return closed;
    },
  };
}
