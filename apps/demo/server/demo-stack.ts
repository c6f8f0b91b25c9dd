import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  collectOutput,
  type GatewayProcess,
  getFreePort,
  type RedisServer,
  spawnProcessGroup,
  startGatewayProcess,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { DEMO_USERS } from './demo-data.js';
import { type Backend, startNodeBackend } from './node-backend.js';
import { startNodeEventsWorker } from './node-events-worker.js';

/** Which stand-in for the legacy backend runs. */
export type DemoBackendKind = 'node' | 'php';

/** Options of {@link startDemoStack}. */
export interface DemoStackOptions {
  /**
   * `node`: Redis, the gateway on Redis, a Node backend publishing through POST /publish and
   * its Node event worker.
   * `php`: Redis, the gateway on Redis, the PHP backend using the generated Publisher and its
   * worker (the generated EventConsumer).
   */
  backend: DemoBackendKind;
  /**
   * Port of the page and API.
   * @default a free port
   */
  port?: number;
  /**
   * Lifetime of the tokens the backend signs, in seconds.
   * @default 3600
   */
  tokenTtlSeconds?: number;
  /**
   * More `POSTBODE_*` settings for the gateway (tests shorten `POSTBODE_PRESENCE_GRACE`).
   * @default {}
   */
  gatewayEnv?: Record<string, string>;
}

/** A running demo: page, backend, its event worker, gateway and Redis. */
export interface DemoStack {
  /** The one URL to open. */
  readonly url: string;
  readonly backend: DemoBackendKind;
  readonly gateway: GatewayProcess;
  readonly redis: RedisServer;
  stop(): Promise<void>;
}

// Paths from the package root: this module runs built (dist/server/) and, in tests, as source
// (server/).
const PACKAGE_ROOT = new URL(
  import.meta.url.includes('/dist/server/') ? '../../' : '../',
  import.meta.url,
);
const fromRoot = (path: string): string => fileURLToPath(new URL(path, PACKAGE_ROOT));
const WEB_ROOT = fromRoot('dist/web/');
const PHP_ROUTER = fromRoot('php/router.php');
const PHP_RECEIPT_HANDLER = fromRoot('php/receipt-handler.php');
const PHP_EVENTS_WORKER = fromRoot(
  '../../packages/php-publisher/php/bin/postbode-events-worker.php',
);
const PHP_PUBLISHER_AUTOLOAD = fromRoot('../../packages/php-publisher/php/autoload.php');
const GATEWAY_ENTRY = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));

/** Why `pnpm demo` cannot run here, or undefined when it can. */
export function nodePrerequisitesMissing(): string | undefined {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'pnpm demo needs redis-server; on Debian: apt-get install -y redis-server';
  }
}

/** Why `pnpm demo:php` cannot run here, or undefined when it can. */
export function phpPrerequisitesMissing(): string | undefined {
  const missing: string[] = [];
  try {
    execFileSync(
      'php',
      ['-r', 'exit(PHP_VERSION_ID >= 80100 && extension_loaded("redis") ? 0 : 3);'],
      { stdio: 'ignore' },
    );
  } catch (error) {
    missing.push((error as { status?: number }).status === 3 ? 'php >= 8.1 with phpredis' : 'php');
  }
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    missing.push('redis-server');
  }
  return missing.length === 0
    ? undefined
    : `pnpm demo:php needs ${missing.join(' and ')}; on Debian: apt-get install -y php-cli php-redis redis-server`;
}

async function startPhpBackend(
  port: number,
  env: Record<string, string>,
): Promise<Backend & { process: ChildProcess }> {
  // The master forks PHP_CLI_SERVER_WORKERS workers that outlive a signal to the master alone
  // (#19): the backend is a process group, stopped whole.
  const child = spawnProcessGroup('php', ['-S', `127.0.0.1:${port}`, '-t', WEB_ROOT, PHP_ROUTER], {
    env: { PATH: process.env.PATH ?? '', PHP_CLI_SERVER_WORKERS: '4', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`php -S exited with ${child.exitCode}:\n${output()}`);
      return (await fetch(`${url}/api/config`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 15_000, description: `the PHP backend on ${url}` },
  ).catch(async (error: unknown) => {
    await stopProcessGroup(child, { signal: 'SIGKILL' });
    throw error;
  });
  return {
    url,
    process: child,
    stop: () => stopProcessGroup(child),
  };
}

/**
 * The PHP backend's event worker (contract 8): the generated EventConsumer, through the worker
 * script the package ships, with the demo's receipt handler.
 */
async function startPhpWorker(
  redisUrl: string,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawnProcessGroup(
    'php',
    [
      PHP_EVENTS_WORKER,
      `--handler=${PHP_RECEIPT_HANDLER}`,
      `--redis=${redisUrl}`,
      '--block-ms=1000',
      '--consumer=demo-worker',
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

/**
 * Starts the whole demo. The gateway runs as its own process, exactly as `pnpm start` runs it;
 * the page is served by the backend; the gateway admits the page's origin (CORS).
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const port = options.port ?? (await getFreePort());
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const jwtSecret = randomBytes(24).toString('hex');
  const publishKey = randomBytes(24).toString('hex');
  const origins = `http://127.0.0.1:${port},http://localhost:${port}`;

  if (options.backend === 'node') {
    const missing = nodePrerequisitesMissing();
    if (missing !== undefined) throw new Error(missing);
    const redis = await startRedis();
    const gateway = await startGatewayProcess({
      entry: GATEWAY_ENTRY,
      env: {
        POSTBODE_JWT_SECRET: jwtSecret,
        POSTBODE_REDIS_URL: redis.url,
        POSTBODE_PUBLISH_KEY: publishKey,
        POSTBODE_CORS_ORIGINS: origins,
        ...options.gatewayEnv,
      },
    }).catch(async (error: unknown) => {
      await redis.stop();
      throw error;
    });
    const backend = await startNodeBackend({
      port,
      gatewayUrl: gateway.url,
      publishKey,
      jwtSecret,
      webRoot: WEB_ROOT,
      tokenTtlSeconds,
    }).catch(async (error: unknown) => {
      await gateway.stop();
      await redis.stop();
      throw error;
    });
    const worker = await startNodeEventsWorker({
      redisUrl: redis.url,
      handler: backend.events,
      consumer: 'demo-node-worker',
      onError: (message, error) =>
        process.stderr.write(
          `demo worker: ${message}${error === undefined ? '' : `: ${String(error)}`}\n`,
        ),
    }).catch(async (error: unknown) => {
      await backend.stop();
      await gateway.stop();
      await redis.stop();
      throw error;
    });
    return {
      url: backend.url,
      backend: 'node',
      gateway,
      redis,
      async stop() {
        await worker.stop();
        await backend.stop();
        await gateway.stop();
        await redis.stop();
      },
    };
  }

  const missing = phpPrerequisitesMissing();
  if (missing !== undefined) throw new Error(missing);
  const redis = await startRedis();
  const gateway = await startGatewayProcess({
    entry: GATEWAY_ENTRY,
    env: {
      POSTBODE_JWT_SECRET: jwtSecret,
      POSTBODE_REDIS_URL: redis.url,
      POSTBODE_CORS_ORIGINS: origins,
      ...options.gatewayEnv,
    },
  });
  const phpEnv = {
    DEMO_REDIS_HOST: redis.host,
    DEMO_REDIS_PORT: String(redis.port),
    DEMO_GATEWAY_URL: gateway.url,
    DEMO_JWT_SECRET: jwtSecret,
    DEMO_WEB_ROOT: WEB_ROOT,
    DEMO_TOKEN_TTL: String(tokenTtlSeconds),
    DEMO_PUBLISHER_AUTOLOAD: PHP_PUBLISHER_AUTOLOAD,
    DEMO_USERS_JSON: JSON.stringify(DEMO_USERS),
  };
  const backend = await startPhpBackend(port, phpEnv).catch(async (error: unknown) => {
    await gateway.stop();
    await redis.stop();
    throw error;
  });
  const worker = await startPhpWorker(redis.url, phpEnv);
  return {
    url: backend.url,
    backend: 'php',
    gateway,
    redis,
    async stop() {
      await stopProcessGroup(worker);
      await backend.stop();
      await gateway.stop();
      await redis.stop();
    },
  };
}
