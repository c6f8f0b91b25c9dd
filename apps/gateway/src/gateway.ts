import { createServer, type RequestListener } from 'node:http';
import { createClientEventHandler } from './client-events/client-event-handler.js';
import {
  createEventStreamWriter,
  type EventStreamWriter,
} from './client-events/event-stream-writer.js';
import { REFUSAL_BUDGET_DEFAULTS, type RefusalBudget } from './client-events/socket-limits.js';
import type { GatewayWorker } from './cluster/gateway-worker.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { startupWarnings } from './config/startup-warnings.js';
import { authenticate } from './connection/authenticate.js';
import { writeConnectTogether } from './connection/connect-writes.js';
import { handleConnection } from './connection/connection-handler.js';
import { oneSocketPerConnection } from './connection/one-socket-per-connection.js';
import { createResume } from './connection/resume.js';
import { createSocketServer } from './connection/socket-server.js';
import { createTokenVerifier } from './connection/token-verifier.js';
import { userSocketLimit } from './connection/user-socket-limit.js';
import { createDeliver } from './delivery/deliver.js';
import { createDispatcher } from './delivery/dispatcher.js';
import { messageMeta } from './delivery/message-meta.js';
import { createSocketBuffer } from './delivery/socket-buffer.js';
import { createHistoryStage } from './history/history-stage.js';
import { healthz, readyz } from './http/health-endpoints.js';
import { metricsEndpoint } from './http/metrics-endpoint.js';
import { createPublishEndpoint } from './http/publish-endpoint.js';
import { createRequestHandler } from './http/request-handler.js';
import type { Bus } from './ingest/bus.js';
import type { DurableLog, DurableLogSink } from './ingest/durable-log.js';
import { createEnvelopeDecoder } from './ingest/envelope-decoder.js';
import { createMemoryLog } from './ingest/memory-log.js';
import { createRedisBus } from './ingest/redis-bus.js';
import { createRedisStreamLog } from './ingest/redis-stream-log.js';
import { listen } from './lifecycle/listen.js';
import { refuseHandshakesWhileDraining } from './lifecycle/refuse-handshakes.js';
import { SHUTDOWN_POLICY_DEFAULTS, shutdown } from './lifecycle/shutdown.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type HistorySize } from './observability/metrics.js';
import { createPresenceStage } from './presence/presence-stage.js';

/** Programmatic options of {@link startGateway}, beside the configuration. */
export interface GatewayOptions {
  /**
   * Where logs go.
   * @default a pino JSON logger on stdout at `config.logLevel`
   */
  logger?: Logger;
  /**
   * Set in a worker of `--workers`: the primary owns the port and hands this gateway its
   * connections; `GET /metrics` answers for every worker.
   * @default unset: the gateway listens on `config.port` itself
   */
  worker?: GatewayWorker;
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
  /**
   * Mean pause between two batches of sockets closed at shutdown, in ms (each pause is drawn
   * from 50 % to 150 % of it); the batch size is `POSTBODE_SHUTDOWN_BATCH_SIZE`.
   * @default 100
   */
  shutdownBatchIntervalMs?: number;
  /**
   * How long a resuming socket may wait for this node to catch up with the stream before it is
   * answered `recovered: false`, reason `unavailable`, in ms.
   * @default 3000
   */
  catchUpTimeoutMs?: number;
  /**
   * How long a client event (`postbode:event`, contract 8) may wait for Redis before it is
   * answered `UNAVAILABLE`, in ms.
   * @default 2000
   */
  clientEventTimeoutMs?: number;
  /**
   * Client events waiting for Redis at once on this node; more are answered `UNAVAILABLE`.
   * @default 1000
   */
  clientEventMaxInFlight?: number;
  /**
   * Refused client events a socket may earn before it is disconnected.
   * @default { burst: 20, refillPerSecond: 1 }
   */
  clientEventRefusalBudget?: RefusalBudget;
}

/** The defaults of {@link GatewayOptions}. */
export const GATEWAY_DEFAULTS = {
  maxClientPacketBytes: 16 * 1024,
  shutdownTimeoutMs: 5_000,
  shutdownBatchIntervalMs: SHUTDOWN_POLICY_DEFAULTS.batchIntervalMs,
  catchUpTimeoutMs: 3_000,
  clientEventTimeoutMs: 2_000,
  clientEventMaxInFlight: 1_000,
  clientEventRefusalBudget: REFUSAL_BUDGET_DEFAULTS,
} as const satisfies Required<Omit<GatewayOptions, 'logger' | 'worker'>>;

/** Options of {@link Gateway.close}. */
export interface CloseOptions {
  /**
   * How long to keep serving the sockets, with readiness and handshakes at 503, before
   * closing them, in ms (the process uses `POSTBODE_SHUTDOWN_DRAIN_SECONDS`).
   * @default 0
   */
  drainMs?: number;
  /** Aborted: the drain ends now and the remaining sockets are closed at once. */
  hurry?: AbortSignal;
}

/** A running gateway: what an embedder needs to reach it, watch it and stop it. */
export interface Gateway {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly url: string;
  /** The logger it writes to. */
  readonly logger: Logger;
  /**
   * True while the history is backfilled and read, the channel subscribed, and the gateway is
   * not shutting down (`GET /readyz`).
   */
  readonly ready: boolean;
  /**
   * Graceful shutdown: readiness goes 503, new handshakes are answered 503, the sockets are
   * served for `drainMs`, then every socket's transport is closed in batches (clients
   * reconnect, elsewhere if there is an elsewhere), the bus quits. A second call returns the
   * first call's promise.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Starts a gateway: HTTP and socket.io on one port, and the pipeline
 * ingest (bus, `POST /publish`) → edge decoder → dispatcher → sockets.
 * This function only composes; each stage lives in its folder.
 *
 * @example
 * const gateway = await startGateway(parseConfig({ POSTBODE_JWT_SECRET: 'change-me-to-32-or-more-random-bytes', POSTBODE_PORT: '0' }));
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
  let historySize: HistorySize | undefined;
  const metrics = createMetrics(
    () => lastBusMessageAt,
    () => historySize,
  );
  let shuttingDown = false;

  // socket.io takes over the 'request' listeners present when it attaches and forwards only
  // non-socket.io requests to them: ours must be there first, so it is bound late.
  let handleRequest: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = createServer((req, res) => handleRequest(req, res));

  // Connections: socket server, authentication, then recovery (replay, sync, rooms) and token
  // expiry per socket.
  const io = createSocketServer(httpServer, {
    maxClientPacketBytes: settings.maxClientPacketBytes,
    corsOrigins: config.corsOrigins,
    isShuttingDown: () => shuttingDown,
    limits: config.limits,
    metrics,
    logger,
  });

  // Ingest → edge → history → dispatch.
  const decoder = createEnvelopeDecoder({
    metrics,
    logger,
    maxEnvelopeBytes: config.maxEnvelopeBytes,
  });
  const socketBuffer = createSocketBuffer({
    maxBytes: config.maxSocketBufferBytes,
    metrics,
    logger,
  });
  const delivery = createDeliver(io, { metrics, logger, buffer: socketBuffer });
  const dispatcher = createDispatcher({
    deliver: delivery.deliver,
    metrics,
    logger,
  });
  const history = createHistoryStage({
    limits: {
      retentionMs: config.history.retentionSeconds * 1000,
      maxEntries: config.history.maxEntries,
      maxBytes: config.history.maxBytes,
    },
    decoder,
    dispatcher,
    io,
    metrics,
    logger,
  });
  historySize = history.index;
  const sink: DurableLogSink = {
    reset: history.reset,
    lost: history.lost,
    entry(offset, raw, live) {
      if (live) lastBusMessageAt = Date.now();
      history.entry(offset, raw, live);
    },
    decoded(offset, envelope) {
      lastBusMessageAt = Date.now();
      history.decoded(offset, envelope);
    },
  };
  const log: DurableLog =
    config.redisUrl === undefined
      ? createMemoryLog(sink)
      : createRedisStreamLog({
          url: config.redisUrl,
          stream: config.stream,
          retentionMs: config.history.retentionSeconds * 1000,
          maxEntries: config.history.maxEntries,
          catchUpTimeoutMs: settings.catchUpTimeoutMs,
          commandTimeoutMs: config.redisCommandTimeoutMs,
          sink,
          logger,
          metrics,
        });
  // The live-only channel (legacy PUBLISH): decoded at the same edge, delivered without offset.
  const bus: Bus | undefined =
    config.redisUrl === undefined
      ? undefined
      : createRedisBus({
          url: config.redisUrl,
          channel: config.channel,
          logger,
          metrics,
          onMessage(raw, source) {
            const now = Date.now();
            lastBusMessageAt = now;
            const result = decoder.decode(raw, source);
            if (!result.ok) return;
            const meta = messageMeta(result.envelope, undefined, now);
            dispatcher.dispatch(result.envelope, meta, now, result.dataJson);
          },
        });
  // Client events (contract 8): their own Redis connection, bounded; relayed actions go out on
  // the channel so that every node delivers them; the embedded bus relays in this process.
  const eventWriter: EventStreamWriter | undefined =
    config.redisUrl === undefined
      ? undefined
      : createEventStreamWriter({
          url: config.redisUrl,
          stream: config.eventsStream,
          channel: config.channel,
          timeoutMs: settings.clientEventTimeoutMs,
          maxInFlight: settings.clientEventMaxInFlight,
          logger,
        });
  const registerClientEvents = createClientEventHandler({
    append: eventWriter === undefined ? undefined : (event) => eventWriter.append(event),
    relay: async (envelopeJson) => {
      if (eventWriter !== undefined) return eventWriter.publish(envelopeJson);
      const result = decoder.decode(envelopeJson, 'relay');
      if (!result.ok) throw new Error(result.error.message);
      const now = Date.now();
      dispatcher.dispatch(result.envelope, messageMeta(result.envelope, undefined, now), now);
    },
    nodeId: config.nodeId,
    refusalBudget: settings.clientEventRefusalBudget,
    metrics,
    logger,
  });
  const evictTimer = setInterval(() => history.index.evict(Date.now()), 1_000);
  evictTimer.unref();

  const resume = createResume({
    log,
    history,
    recoveryMax: config.history.recoveryMax,
    metrics,
    writeTo: delivery.writeTo,
  });
  refuseHandshakesWhileDraining(io, () => shuttingDown);
  io.use(oneSocketPerConnection(io, metrics, logger));
  const presence = createPresenceStage({
    ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
    nodeId: config.nodeId,
    keyPrefix: config.presence.keyPrefix,
    eventsStream: config.eventsStream,
    graceSeconds: config.presence.graceSeconds,
    ttlSeconds: config.presence.ttlSeconds,
    logger,
  });
  io.use(authenticate(createTokenVerifier(config.jwt), metrics, logger));
  io.use(
    userSocketLimit({
      maxSocketsPerUser: config.limits.maxSocketsPerUser,
      rooms: io.of('/').adapter.rooms,
      metrics,
    }),
  );
  io.use(resume.middleware);
  // Last: from here to the end of the connection handlers, one TCP write (connect-writes.ts).
  io.use(writeConnectTogether);
  io.on(
    'connection',
    handleConnection({
      metrics,
      logger,
      clockToleranceSeconds: config.jwt.clockToleranceSeconds,
      startDelivery(socket) {
        resume.start(socket);
        presence.connected(socket);
      },
      registerClientEvents,
    }),
  );

  // HTTP beside socket.io.
  const isReady = () => {
    const bus$ = (bus?.ready ?? true) && log.ready;
    return { ready: bus$ && !shuttingDown, bus: bus$, shuttingDown };
  };
  handleRequest = createRequestHandler(
    {
      'GET /healthz': healthz,
      'GET /readyz': readyz(isReady),
      'GET /metrics': metricsEndpoint(options.worker?.metrics ?? metrics.registry),
      'POST /publish': createPublishEndpoint({
        publishKey: config.publishKey,
        log,
        decoder,
        metrics,
        logger,
      }),
    },
    logger,
  );

  await log.start();
  await bus?.start();
  await presence.start();
  const { port, url } =
    options.worker === undefined
      ? await listen(httpServer, config.port, config.host)
      : options.worker.attach(io, metrics.registry);
  for (const warning of startupWarnings(config)) logger.warn(warning);
  logger.info(
    {
      port,
      bus: bus?.kind ?? 'memory',
      channel: config.channel,
      stream: config.redisUrl === undefined ? undefined : config.stream,
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
    close(closeOptions = {}) {
      shuttingDown = true;
      clearInterval(evictTimer);
      closed ??= shutdown({
        io,
        httpServer,
        // After the sockets closed, so their disconnects (graces) reach Redis first.
        closeIngest: () =>
          Promise.all([log.close(), bus?.close(), eventWriter?.close(), presence.close()]).then(
            () => undefined,
          ),
        logger,
        timeoutMs: settings.shutdownTimeoutMs,
        policy: {
          drainMs: closeOptions.drainMs ?? SHUTDOWN_POLICY_DEFAULTS.drainMs,
          batchSize: config.shutdown.batchSize,
          batchIntervalMs: settings.shutdownBatchIntervalMs,
          ...(closeOptions.hurry === undefined ? {} : { hurry: closeOptions.hurry }),
        },
      });
      return closed;
    },
  };
}
