import type { Server as HttpServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostbodeServer } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';

/** How {@link shutdown} drains and closes; see the README's "Deploying" section. */
export interface ShutdownPolicy {
  /**
   * How long the node keeps serving its sockets, with `/readyz` at 503 and new handshakes
   * answered 503, before it closes them, in ms: the time a load balancer needs to stop
   * sending it new connections.
   * @default 0
   */
  drainMs: number;
  /**
   * Sockets whose transport is closed at once; the next batch follows after
   * {@link batchIntervalMs} with jitter, so the other nodes do not take every reconnect in
   * the same instant.
   * @default 500
   */
  batchSize: number;
  /**
   * Mean pause between two batches, in ms; each pause is drawn uniformly from 50 % to 150 %
   * of it.
   * @default 100
   */
  batchIntervalMs: number;
  /**
   * Aborted: the drain ends now and the remaining sockets are closed at once (a second
   * SIGTERM/SIGINT).
   */
  hurry?: AbortSignal;
}

/** The defaults of {@link ShutdownPolicy}. */
export const SHUTDOWN_POLICY_DEFAULTS = {
  drainMs: 0,
  batchSize: 500,
  batchIntervalMs: 100,
} as const satisfies Omit<ShutdownPolicy, 'hurry'>;

/** What {@link shutdown} stops. */
export interface ShutdownParts {
  io: PostbodeServer;
  httpServer: HttpServer;
  /** Stops reading the stream and the channel. */
  closeIngest(): Promise<void>;
  logger: Logger;
  /**
   * How long the closing (batches, then the remaining connections) may take before the
   * connections still open are cut, in ms.
   */
  timeoutMs: number;
  policy: ShutdownPolicy;
}

/**
 * Drains, then closes: for `policy.drainMs` the node keeps serving (its caller has already
 * turned readiness to 503 and handshakes away); then it closes every socket's transport in
 * batches with jitter (clients see `transport close` and reconnect, elsewhere if there is an
 * elsewhere: a server-side disconnect would stop socket.io-client from reconnecting), the
 * HTTP server, then the ingest (stream and channel).
 */
export async function shutdown(parts: ShutdownParts): Promise<void> {
  const { io, httpServer, closeIngest, logger, timeoutMs, policy } = parts;
  const { hurry } = policy;
  if (policy.drainMs > 0 && hurry?.aborted !== true) {
    logger.info(
      { drainMs: policy.drainMs, sockets: io.engine.clientsCount },
      'draining: readiness 503, new connections refused, sockets still served',
    );
    await pause(policy.drainMs, hurry);
  }
  logger.info(
    { sockets: io.engine.clientsCount, batchSize: policy.batchSize },
    'shutting down: closing sockets so clients reconnect',
  );
  const cut = setTimeout(() => httpServer.closeAllConnections(), timeoutMs);
  cut.unref();
  const closingEnds = Date.now() + timeoutMs / 2;
  const batches = await closeInBatches(io, policy, closingEnds);
  logger.info(
    { batches, left: io.engine.clientsCount },
    'sockets closed in batches; closing the rest',
  );
  await new Promise<void>((resolve) => {
    io.close(() => resolve());
    httpServer.closeIdleConnections();
  });
  clearTimeout(cut);
  await closeIngest();
  logger.info('shut down');
}

/**
 * Closes engine.io connections `batchSize` at a time, gracefully (queued packets are flushed,
 * then the transport closes; a long-poll gets engine.io's close packet), until none is left,
 * `hurry` is aborted or `until` has passed; `io.close()` takes the rest. Resolves with the
 * number of batches.
 */
async function closeInBatches(
  io: PostbodeServer,
  policy: ShutdownPolicy,
  until: number,
): Promise<number> {
  // engine.io's typings mark `clients` protected; it is the documented map of open connections.
  const { clients } = io.engine as unknown as {
    clients: Record<string, { close(discard?: boolean): void }>;
  };
  const size = Math.max(1, policy.batchSize);
  // A long-poll closes at its next poll: a socket asked once stays in `clients` a while.
  const asked = new Set<string>();
  let batches = 0;
  while (policy.hurry?.aborted !== true && Date.now() < until) {
    const batch: string[] = [];
    for (const id of Object.keys(clients)) {
      if (asked.has(id)) continue;
      batch.push(id);
      if (batch.length >= size) break;
    }
    if (batch.length === 0) return batches;
    batches += 1;
    for (const id of batch) {
      asked.add(id);
      clients[id]?.close(false);
    }
    if (Object.keys(clients).every((id) => asked.has(id))) return batches;
    await pause(policy.batchIntervalMs * (0.5 + Math.random()), policy.hurry);
  }
  return batches;
}

/** Waits `ms`, or less if `signal` aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
}
