import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { getFreePort } from './free-port.js';
import { killProcess, spawnProcessGroup, stopProcessGroup } from './process-group.js';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * The port to listen on.
   * @default a free port
   */
  port?: number;
  /**
   * The `redis-server` binary.
   * @default 'redis-server' (from PATH)
   */
  binary?: string;
  /** Extra `redis-server` arguments, e.g. `['--client-output-buffer-limit', 'pubsub 1mb 1mb 0']`. */
  args?: string[];
  /**
   * How long to wait for "Ready to accept connections", in ms.
   * @default 10000
   */
  startTimeoutMs?: number;
}

/** A `redis-server` child process owned by one test suite. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** The process id (also its process group's id) while it runs. */
  readonly pid: number | undefined;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** True while the process runs. */
  readonly running: boolean;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL to redis-server alone), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (after stop or kill). */
  start(): Promise<void>;
  /** Stops, then starts again on the same port. */
  restart(): Promise<void>;
  /** Publishes a message through a short-lived connection; resolves with the receiver count. */
  publish(channel: string, message: string | Buffer): Promise<number>;
  /** A new ioredis client connected to this server (the caller quits it). */
  client(): Redis;
}

async function spawnRedis(
  binary: string,
  port: number,
  args: string[],
  timeoutMs: number,
): Promise<ChildProcess> {
  const child = spawnProcessGroup(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
      '--logfile',
      '',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopProcessGroup(child, { signal: 'SIGKILL' }).catch(() => undefined);
      reject(
        new Error(`redis-server on port ${port} did not start within ${timeoutMs} ms:\n${log}`),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `could not run ${binary} (${error.message}); install it with: apt-get install -y redis-server`,
        ),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited with code ${code}:\n${log}`));
    });
  });
  return child;
}

/**
 * Starts a `redis-server` on a free port (nothing persisted) and resolves once it accepts
 * connections. The caller stops it (`afterAll(() => redis.stop())`); a test process that
 * exits, or dies of SIGTERM or SIGINT, kills whatever is left (see `spawnProcessGroup`).
 *
 * @example
 * const redis = await startRedis();
 * // ... POSTBODE_REDIS_URL = redis.url ...
 * await redis.restart(); // same port: clients reconnect
 * await redis.stop();
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const host = '127.0.0.1';
  const port = options.port ?? (await getFreePort(host));
  const binary = options.binary ?? 'redis-server';
  const args = options.args ?? [];
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined = await spawnRedis(binary, port, args, timeoutMs);
  const url = `redis://${host}:${port}`;
  const server: RedisServer = {
    host,
    port,
    url,
    get pid() {
      return server.running ? child?.pid : undefined;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      if (child !== undefined) await stopProcessGroup(child);
      child = undefined;
    },
    async kill() {
      if (child !== undefined) await killProcess(child);
      child = undefined;
    },
    async start() {
      if (server.running) return;
      child = await spawnRedis(binary, port, args, timeoutMs);
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async publish(channel, message) {
      const redis = server.client();
      try {
        return await redis.publish(channel, message);
      } finally {
        redis.disconnect();
      }
    },
    client() {
      return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    },
  };
  return server;
}
