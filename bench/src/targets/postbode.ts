import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CONFIG_VARIABLES, type ConfigVariableName } from '@postbode/gateway';
import { getFreePort, startGatewayProcess } from '@postbode/testkit';
import { Redis } from 'ioredis';
import { probeClient, probeNodeOptions } from '../probe/probe-client.js';
import type { Wire } from '../publisher/wire.js';
import type { RunningTarget, Target, TargetContext } from './target.js';

const require = createRequire(import.meta.url);
const version = (name: string): string =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string })
    .version;

/** The gateway's pub/sub channel and durable stream in the bench (their defaults, set anyway). */
export const POSTBODE_CHANNEL = 'postbode';
export const POSTBODE_STREAM = 'postbode:stream';

/** A gateway setting's default, as the gateway declares it (NaN when it has none). */
export function gatewayDefault(name: ConfigVariableName): number {
  const variable = CONFIG_VARIABLES.find((v) => v.name === name);
  return variable !== undefined && 'default' in variable ? Number(variable.default) : Number.NaN;
}

/** A started gateway node: a running target that can also crash, and be scraped. */
export interface PostbodeNode extends RunningTarget {
  /** `http://127.0.0.1:<port>` (health, `/metrics`). */
  readonly url: string;
  /** Kills the node at once (SIGKILL to its process group), as a crash would. */
  kill(): Promise<void>;
}

/** Options of {@link startPostbodeNode}. */
export interface PostbodeNodeOptions {
  /** The gateway's `main.js`. */
  entry: string;
  /**
   * Delete the stream and its meta hash before the start, and after the stop also the presence
   * keys: each server starts with an empty history (a new epoch) and leaves nothing for the next
   * target (not even the graces of its last sockets, which another gateway would otherwise
   * settle while the next target is measured).
   * @default true
   */
  freshStream?: boolean;
  /** More `POSTBODE_*` settings. */
  env?: Record<string, string>;
}

/** The presence keys' prefix in the bench (`POSTBODE_PRESENCE_PREFIX`'s default). */
const PRESENCE_PREFIX = 'postbode:presence';

/**
 * Deletes the bench stream and its meta hash (`<stream>:meta`), and with `presence` every
 * presence key (`postbode:presence*`: online sets, nodes, pending graces).
 */
export async function clearStream(redisUrl: string, presence = false): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await redis.del(POSTBODE_STREAM, `${POSTBODE_STREAM}:meta`);
    if (presence) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${PRESENCE_PREFIX}*`,
          'COUNT',
          1000,
        );
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * A metric from the node's `/metrics`: its value, summed over every label set (a counter with
 * labels, or a plain gauge); NaN when the node exports no sample of it yet.
 */
export async function readMetric(node: PostbodeNode, name: string): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  let sum = Number.NaN;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    sum = (Number.isNaN(sum) ? 0 : sum) + Number(match[1]);
  }
  return sum;
}

/**
 * Starts one gateway node as `pnpm start` runs it (`node apps/gateway/dist/main.js` configured
 * by `POSTBODE_*`), with Redis (channel and stream), JWT authentication and envelope
 * validation on, the probe preloaded.
 */
export async function startPostbodeNode(
  context: TargetContext,
  options: PostbodeNodeOptions,
): Promise<PostbodeNode> {
  const fresh = options.freshStream ?? true;
  if (fresh) await clearStream(context.redisUrl);
  const probePort = await getFreePort();
  const gateway = await startGatewayProcess({
    entry: options.entry,
    env: {
      POSTBODE_REDIS_URL: context.redisUrl,
      POSTBODE_CHANNEL,
      POSTBODE_STREAM,
      POSTBODE_JWT_SECRET: context.jwtSecret,
      POSTBODE_LOG_LEVEL: 'warn',
      // The load generator opens every connection from one address, thousands at once.
      POSTBODE_MAX_CONNECTIONS_PER_ADDRESS: '0',
      POSTBODE_HANDSHAKES_PER_MINUTE: '0',
      ...context.gatewayEnv,
      ...options.env,
      NODE_OPTIONS: probeNodeOptions(),
      BENCH_PROBE_PORT: String(probePort),
      BENCH_PROBE_CPU: context.serverCpu === undefined ? '' : String(context.serverCpu),
    },
  });
  const probe = probeClient(probePort);
  const { pid } = await probe.memory();
  return {
    pid,
    url: gateway.url,
    origin: `ws://127.0.0.1:${gateway.port}`,
    probe,
    async stop() {
      await gateway.stop();
      if (fresh) await clearStream(context.redisUrl, true);
    },
    kill: () => gateway.kill(),
  };
}

/** Options of {@link createPostbodeTarget}. */
export interface PostbodeTargetOptions {
  id: string;
  label: string;
  /** The gateway's `main.js`. */
  entry: string;
  /**
   * How the publisher feeds it.
   * @default PUBLISH on the channel (live only)
   */
  wire?: Wire;
  /** See {@link Target.variantOf}. */
  variantOf?: string;
}

/**
 * Postbode's gateway (see {@link startPostbodeNode}). Another build (`--baseline=<main.js>`)
 * can run beside it to measure a change.
 */
export function createPostbodeTarget(options: PostbodeTargetOptions): Target {
  return {
    id: options.id,
    label: options.label,
    versions: `@postbode/gateway ${version('@postbode/gateway')}, socket.io 4.8.4`,
    eio: 4,
    join: 'token',
    wire: options.wire ?? { kind: 'envelope', channel: POSTBODE_CHANNEL },
    ...(options.variantOf === undefined ? {} : { variantOf: options.variantOf }),
    gatewayEntry: options.entry,
    start: (context) => startPostbodeNode(context, { entry: options.entry }),
  };
}

const GATEWAY_ENTRY = require.resolve('@postbode/gateway/main');

/** The gateway of this work tree, fed on its pub/sub channel (`PUBLISH postbode`). */
export const postbodeTarget: Target = createPostbodeTarget({
  id: 'postbode',
  label: 'Postbode gateway (pub/sub)',
  entry: GATEWAY_ENTRY,
});

/** The same gateway fed through its durable stream (`XADD postbode:stream`, contract 6). */
export const postbodeStreamTarget: Target = createPostbodeTarget({
  id: 'postbode-stream',
  label: 'Postbode gateway (stream)',
  entry: GATEWAY_ENTRY,
  wire: { kind: 'stream', stream: POSTBODE_STREAM },
  variantOf: 'postbode',
});

/** Starts a node of this work tree's gateway (the reconnect storm runs two). */
export const startLocalPostbodeNode = (
  context: TargetContext,
  options: Omit<PostbodeNodeOptions, 'entry'> = {},
): Promise<PostbodeNode> => startPostbodeNode(context, { ...options, entry: GATEWAY_ENTRY });
