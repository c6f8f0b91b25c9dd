import type { ChildProcess } from 'node:child_process';
import { getFreePort } from './free-port.js';
import { killProcess, leaderExited, spawnProcessGroup, stopProcessGroup } from './process-group.js';
import { TEST_JWT_SECRET } from './tokens.js';
import { waitUntil } from './wait-until.js';

/** Options of {@link startGatewayProcess}. */
export interface StartGatewayProcessOptions {
  /**
   * Path of the gateway's entry script, e.g.
   * `fileURLToPath(import.meta.resolve('@postbode/gateway/main'))`.
   */
  entry: string;
  /**
   * `POSTBODE_*` variables (DESIGN contract 4). `POSTBODE_PORT` and `POSTBODE_HOST` are set by
   * this helper unless given; `POSTBODE_JWT_SECRET` defaults to {@link TEST_JWT_SECRET} unless
   * another key setting is given; `POSTBODE_LOG_LEVEL` defaults to `warn`;
   * `POSTBODE_SHUTDOWN_DRAIN_SECONDS` defaults to `0` (the gateway's own default is 5 s).
   */
  env?: Record<string, string>;
  /**
   * Wait for `GET /readyz` to answer 200 (true) or only for `GET /healthz` (false).
   * @default true
   */
  waitForReady?: boolean;
  /**
   * How long to wait for start-up, in ms.
   * @default 15000
   */
  startTimeoutMs?: number;
  /**
   * Picks the port when `env` gives none.
   * @default {@link getFreePort}
   */
  pickPort?: () => Promise<number>;
}

/**
 * How many ports this helper tries, in all, when the gateway cannot listen on the one it picked
 * (`EADDRINUSE`): a port free when picked can be taken before the gateway binds it, e.g. as the
 * local end of one of thousands of connections a load test opens.
 */
const PORT_ATTEMPTS = 3;

/** A gateway child process owned by one test suite. */
export interface GatewayProcess {
  readonly port: number;
  /** The process id (also its process group's id), undefined before the first start. */
  readonly pid: number | undefined;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far (JSON log lines). */
  readonly output: string;
  /** The exit code, once the process has exited. */
  readonly exitCode: number | null;
  /**
   * Sends SIGTERM to the process and everything it started, and waits for the exit code
   * (SIGKILL after 15 s).
   */
  stop(): Promise<number | null>;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Sends `signal` to the gateway process itself, e.g. SIGSTOP and SIGCONT to freeze it. */
  signal(signal: NodeJS.Signals): void;
  /** Starts it again with the same port and environment. */
  start(): Promise<void>;
}

/**
 * Starts the built gateway as a separate process, configured only through its environment,
 * exactly as an operator runs it, and resolves once it is ready.
 *
 * @example
 * const gateway = await startGatewayProcess({
 *   entry: fileURLToPath(import.meta.resolve('@postbode/gateway/main')),
 *   env: { POSTBODE_REDIS_URL: redis.url },
 * });
 * const socket = io(gateway.url, { auth: { token } });
 * await gateway.stop();
 */
export async function startGatewayProcess(
  options: StartGatewayProcessOptions,
): Promise<GatewayProcess> {
  const given = options.env ?? {};
  const pickPort = options.pickPort ?? (() => getFreePort());
  const picked = given.POSTBODE_PORT === undefined;
  let port = Number(given.POSTBODE_PORT ?? (await pickPort()));
  const hasKey =
    given.POSTBODE_JWT_SECRET !== undefined ||
    given.POSTBODE_JWT_PUBLIC_KEY !== undefined ||
    given.POSTBODE_JWT_JWKS_URL !== undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    POSTBODE_HOST: '127.0.0.1',
    POSTBODE_LOG_LEVEL: 'warn',
    // Tests stop gateways all the time: no drain unless a test asks for one.
    POSTBODE_SHUTDOWN_DRAIN_SECONDS: '0',
    ...(hasKey ? {} : { POSTBODE_JWT_SECRET: TEST_JWT_SECRET }),
    ...given,
    POSTBODE_PORT: String(port),
  };
  let url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const waitForReady = options.waitForReady ?? true;
  let output = '';
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const current = spawnProcessGroup(process.execPath, [options.entry], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    current.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    current.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const path = waitForReady ? '/readyz' : '/healthz';
    await waitUntil(
      async () => {
        // Done waiting: a gateway that exited will not become ready (checked below).
        if (leaderExited(current)) return true;
        // Bounded: whatever holds the port may accept and never answer.
        const response = await fetch(url + path, { signal: AbortSignal.timeout(1_000) }).catch(
          () => undefined,
        );
        return response?.status === 200;
      },
      { timeoutMs, intervalMs: 25, description: `gateway ${url}${path}` },
    ).catch(async (error: Error) => {
      await stopProcessGroup(current, { signal: 'SIGKILL' });
      throw new Error(`${error.message}\n--- gateway output ---\n${output}`);
    });
    if (leaderExited(current)) {
      // What it started is stopped with it.
      await stopProcessGroup(current, { signal: 'SIGKILL' });
      throw new Error(
        `gateway ${url} exited with ${current.exitCode === null ? `signal ${current.signalCode}` : `code ${current.exitCode}`} before it was ready\n--- gateway output ---\n${output}`,
      );
    }
  };

  for (let attempt = 1; ; attempt += 1) {
    try {
      await start();
      break;
    } catch (error) {
      if (!picked || attempt === PORT_ATTEMPTS || !output.includes('EADDRINUSE')) throw error;
      port = await pickPort();
      env.POSTBODE_PORT = String(port);
      url = `http://127.0.0.1:${port}`;
      output = '';
    }
  }
  return {
    port,
    get pid() {
      return child?.pid;
    },
    url,
    get output() {
      return output;
    },
    get exitCode() {
      return child?.exitCode ?? null;
    },
    async stop() {
      const current = child;
      if (current === undefined) return null;
      await stopProcessGroup(current, { timeoutMs: 15_000 });
      return current.exitCode;
    },
    async kill() {
      if (child !== undefined) await killProcess(child);
    },
    signal(signal) {
      child?.kill(signal);
    },
    start,
  };
}
