import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { setupMaster } from '@socket.io/sticky';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type ListenAddress, listen } from '../lifecycle/listen.js';
import type { Logger } from '../observability/logger.js';
import { serveClusterMetrics } from './cluster-metrics.js';
import { HEARTBEAT_INTERVAL_MS, WORKER_READY } from './run-worker.js';
import { createSessionGate } from './session-gate.js';
import { type CountedWorker, createStallWatch } from './stall-watch.js';

/** Options of {@link runPrimary}. */
export interface PrimaryOptions {
  logger: Logger;
  /**
   * How long the workers get to stop after SIGTERM before they are killed, in ms (a worker
   * bounds its own shutdown too; this is the primary's bound over all of them).
   */
  stopTimeoutMs: number;
}

/** The primary of `--workers`: what `main.ts` needs to report and stop it. */
export interface Primary extends ListenAddress {
  /** Every first worker takes connections (rejects when one failed to start). */
  readonly started: Promise<void>;
  /** SIGTERM to every worker (each drains and closes its sockets), waits for them, closes the port. */
  stop(): Promise<void>;
}

/** A worker that dies within this long of its start counts as a crash loop (backoff), in ms. */
const EARLY_DEATH_MS = 5_000;
/** Longest wait before a worker that keeps dying is started again, in ms. */
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs the primary of `--workers N`: it owns the port, forks N workers (each a whole gateway
 * node that reads the bus itself, with its own node id), and routes connections with
 * `@socket.io/sticky`: a request that carries an Engine.IO session id (`sid`, every long-polling
 * request after the handshake) goes to the worker holding that session, a new one to the worker
 * with the fewest sessions; a websocket stays on the worker its upgrade went to. A worker gets
 * new sessions only while it is ready, has its channel and answers (`stall-watch.ts`); one that
 * dies is replaced; `GET /metrics` on any worker answers for all of them (prom-client's cluster
 * aggregation, `cluster-metrics.ts`).
 */
export async function runPrimary(config: GatewayConfig, options: PrimaryOptions): Promise<Primary> {
  const { logger, stopTimeoutMs } = options;
  // Handles and Buffers (the first bytes of each connection) cross to the workers intact.
  cluster.setupPrimary({ serialization: 'advanced' });
  // The port is a plain TCP server: sticky reads the first bytes of each connection itself.
  // Connections reach sticky only while a worker is ready to take them; before that they wait,
  // unread (a socket handed to a worker that has not set up socket.io yet would be lost).
  const server = createServer();
  const router = new EventEmitter();
  setupMaster(router as unknown as HttpServer, { loadBalancingMethod: 'least-connection' });
  serveClusterMetrics();
  // Workers that have said they are ready and still have their channel; new connections wait
  // while none of them is answering (`stall-watch.ts`).
  const ready = new Set<Worker>();
  const canTake = (): boolean => {
    for (const worker of ready) if (!stall.isStalled(worker)) return true;
    return false;
  };
  const toSticky = (socket: Socket, firstChunk: Buffer, hasBody: boolean): void => {
    router.emit('connection', socket);
    // Sticky listens for 'data' now: its first chunk, then (a request with a body, which the
    // primary relays) the rest as it comes.
    socket.emit('data', firstChunk);
    if (hasBody) socket.resume();
  };
  let held: Array<[Socket, Buffer, boolean]> = [];
  const route = (socket: Socket, firstChunk: Buffer, hasBody: boolean): void => {
    if (canTake()) toSticky(socket, firstChunk, hasBody);
    else {
      const entry: [Socket, Buffer, boolean] = [socket, firstChunk, hasBody];
      held.push(entry);
      socket.once('close', () => {
        held = held.filter((waiting) => waiting !== entry);
      });
    }
  };
  const passHeld = (): void => {
    for (const [socket, chunk, body] of held.splice(0)) toSticky(socket, chunk, body);
  };
  const stall = createStallWatch({
    onStalled(worker, silentMs) {
      logger.warn(
        { worker: worker.id, pid: worker.process.pid, silentMs },
        'worker not responding; new connections go to the other workers until it does',
      );
    },
    onResumed(worker, stalledMs) {
      logger.info(
        { worker: worker.id, pid: worker.process.pid, stalledMs },
        'worker responding again',
      );
      passHeld();
    },
  });
  cluster.on('message', (worker) => stall.heard(worker));
  const sweeping = setInterval(() => stall.sweep(ready), HEARTBEAT_INTERVAL_MS).unref();
  server.on('connection', createSessionGate(route));
  const address = await listen(server, config.port, config.host);

  let stopping = false;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const fork = (): Promise<Worker> => {
    const worker: CountedWorker = cluster.fork({ POSTBODE_PORT: String(address.port) });
    startedAt.set(worker, Date.now());
    // Sticky's least-connection choice reads `clientsCount`: a worker still starting is never
    // chosen for a new session while another worker can take it.
    worker.clientsCount = Number.POSITIVE_INFINITY;
    // A worker's channel closes before its exit is seen (SIGKILL: the kernel closes the channel
    // at once, the exit reaches the primary later), and node:cluster keeps it in
    // `cluster.workers` until both have happened: sticky would still pick it for a new session,
    // and a connection sent on a closed channel is lost (the client's connection fails). From
    // the channel's close on, it takes nothing new; with no other worker ready, connections wait.
    worker.once('disconnect', () => {
      worker.clientsCount = Number.POSITIVE_INFINITY;
      ready.delete(worker);
      if (!stopping) {
        logger.warn({ worker: worker.id, pid: worker.process.pid }, 'worker channel closed');
      }
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if ((message as { type?: string } | undefined)?.type !== WORKER_READY) return;
        worker.off('message', onMessage);
        worker.off('exit', onEarlyExit);
        worker.clientsCount = 0;
        ready.add(worker);
        passHeld();
        logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker ready');
        resolve(worker);
      };
      const onEarlyExit = (code: number | null): void =>
        reject(new Error(`worker ${worker.id} exited with code ${code} before it was ready`));
      worker.on('message', onMessage);
      worker.once('exit', onEarlyExit);
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const started = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    ready.delete(worker);
    stall.forget(worker);
    if (stopping) return;
    quickDeaths = Date.now() - started < EARLY_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** quickDeaths);
    logger.error(
      { worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay },
      'worker died; its clients reconnect to the other workers; starting a new one',
    );
    setTimeout(() => {
      if (stopping) return;
      fork().catch((error: Error) =>
        logger.error({ err: error.message }, 'worker failed to start'),
      );
    }, delay).unref();
  });

  // Resolves once every first worker takes connections; the caller wires signals before it
  // waits, so a SIGTERM while workers start stops them too.
  const started = Promise.all(Array.from({ length: config.workers }, fork)).then(
    () => {
      logger.info(
        { port: address.port, workers: config.workers },
        `postbode gateway listening on ${address.url} with ${config.workers} workers`,
      );
    },
    (error: unknown) => {
      // Stopped (SIGTERM) while a worker was still starting: not a failure to start.
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      server.close();
      throw error;
    },
  );
  return {
    ...address,
    started,
    async stop() {
      stopping = true;
      clearInterval(sweeping);
      const workers = Object.values(cluster.workers ?? {}).filter(
        (worker): worker is Worker => worker !== undefined,
      );
      const exited = workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) resolve();
            else worker.once('exit', () => resolve());
          }),
      );
      for (const worker of workers) worker.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const worker of workers) {
          if (!worker.isDead()) {
            logger.error({ worker: worker.id }, 'worker did not stop in time; killing it');
            worker.process.kill('SIGKILL');
          }
        }
      }, stopTimeoutMs);
      await Promise.all(exited);
      clearTimeout(timer);
      // Not awaited: the primary's copies of connections it handed over may still count as open.
      server.close();
      for (const [socket] of held.splice(0)) socket.destroy();
      logger.info('all workers stopped');
    },
  };
}
