import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getFreePort, startGatewayProcess } from '@postbode/testkit';
import { probeClient, probeNodeOptions } from '../probe/probe-client.js';
import type { Target } from './target.js';

const require = createRequire(import.meta.url);
const version = (name: string): string =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string })
    .version;

/** Options of {@link createPostbodeTarget}. */
export interface PostbodeTargetOptions {
  id: string;
  label: string;
  /** The gateway's `main.js`. */
  entry: string;
}

/**
 * Postbode's gateway, built, started as `pnpm start` runs it (`node apps/gateway/dist/main.js`
 * configured by `POSTBODE_*`), with Redis, JWT authentication and envelope validation on.
 * Another build (`--baseline=<main.js>`) can run beside it to measure a change.
 */
export function createPostbodeTarget(options: PostbodeTargetOptions): Target {
  return {
    id: options.id,
    label: options.label,
    versions: `@postbode/gateway ${version('@postbode/gateway')}, socket.io 4.8.4`,
    eio: 4,
    join: 'token',
    wire: { kind: 'envelope', channel: 'postbode' },
    async start(context) {
      const probePort = await getFreePort();
      const gateway = await startGatewayProcess({
        entry: options.entry,
        env: {
          POSTBODE_REDIS_URL: context.redisUrl,
          POSTBODE_CHANNEL: 'postbode',
          POSTBODE_JWT_SECRET: context.jwtSecret,
          POSTBODE_LOG_LEVEL: 'warn',
          NODE_OPTIONS: probeNodeOptions(),
          BENCH_PROBE_PORT: String(probePort),
          BENCH_PROBE_CPU: context.serverCpu === undefined ? '' : String(context.serverCpu),
        },
      });
      const probe = probeClient(probePort);
      const { pid } = await probe.memory();
      return {
        pid,
        origin: `ws://127.0.0.1:${gateway.port}`,
        probe,
        async stop() {
          await gateway.stop();
        },
      };
    },
  };
}

/** The gateway of this work tree. */
export const postbodeTarget: Target = createPostbodeTarget({
  id: 'postbode',
  label: 'Postbode gateway',
  entry: require.resolve('@postbode/gateway/main'),
});
