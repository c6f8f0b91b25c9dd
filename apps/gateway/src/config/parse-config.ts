import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { clusterKeyProblem } from '../redis/cluster-keys.js';
import { parseRedisTarget } from '../redis/redis-target.js';
import type { DefaultedVariableName } from './config-variables.js';
import type { GatewayConfig } from './gateway-config.js';
import { resolveJwtConfig } from './jwt-key.js';
import type { LogLevel } from './log-levels.js';
import { invalidSetting, readRawSettings, splitList } from './raw-settings.js';

/**
 * Reads the gateway's configuration from environment variables. Pure: give it `process.env`
 * (that is {@link readConfigFromEnv}) or any record. Empty values count as unset; defaults
 * come from {@link CONFIG_VARIABLES}.
 * @throws PostbodeError `INVALID_CONFIG` with a message that names the variable.
 *
 * @example
 * const config = parseConfig({ POSTBODE_JWT_SECRET: 'change-me-to-32-or-more-random-bytes' });
 */
export function parseConfig(env: Record<string, string | undefined>): GatewayConfig {
  const settings = readRawSettings(env);

  const port = Number(settings.withDefault('POSTBODE_PORT'));
  if (port > 65535) throw invalidSetting('POSTBODE_PORT', settings.get('POSTBODE_PORT'));
  const atLeast = (name: DefaultedVariableName, min: number): number => {
    const value = Number(settings.withDefault(name));
    if (value < min) throw invalidSetting(name, settings.get(name));
    return value;
  };
  const maxEnvelopeBytes = atLeast('POSTBODE_MAX_ENVELOPE_BYTES', 1024);
  const redisUrl = settings.get('POSTBODE_REDIS_URL');
  const redisTarget = redisUrl === undefined ? undefined : parseRedisTarget(redisUrl);
  if (redisUrl !== undefined && redisTarget === undefined) {
    throw invalidSetting('POSTBODE_REDIS_URL', redisUrl);
  }
  const stream = settings.withDefault('POSTBODE_STREAM');
  const eventsStream = settings.withDefault('POSTBODE_EVENTS_STREAM');
  const presencePrefix = settings.withDefault('POSTBODE_PRESENCE_PREFIX');
  if (redisTarget?.kind === 'cluster') {
    // Every script must run on one slot: checked here, not by a CROSSSLOT error at the first call.
    const problem = clusterKeyProblem({ stream, eventsStream, presencePrefix });
    if (problem !== undefined) {
      throw invalidSetting(
        problem.variable,
        settings.get(problem.variable) ?? settings.withDefault(problem.variable),
        problem.expected,
      );
    }
  }
  const workersSetting = settings.withDefault('POSTBODE_WORKERS');
  const workers = workersSetting === 'auto' ? availableParallelism() : Number(workersSetting);
  if (workers < 1 || workers > 256) {
    throw invalidSetting('POSTBODE_WORKERS', settings.get('POSTBODE_WORKERS'));
  }
  if (workers > 1 && redisUrl === undefined) {
    // Each worker would have an embedded bus of its own: a message would reach one worker's sockets.
    throw invalidSetting(
      'POSTBODE_WORKERS',
      settings.get('POSTBODE_WORKERS'),
      '1 without POSTBODE_REDIS_URL (the workers share messages through Redis)',
    );
  }
  const jwt = resolveJwtConfig(settings);
  const history = {
    retentionSeconds: atLeast('POSTBODE_HISTORY_SECONDS', 1),
    maxEntries: atLeast('POSTBODE_HISTORY_MAX_ENTRIES', 1),
    maxBytes: atLeast('POSTBODE_HISTORY_MAX_BYTES', 1024),
    recoveryMax: atLeast('POSTBODE_RECOVERY_MAX', 1),
  };
  const host = settings.get('POSTBODE_HOST');
  const cors = settings.get('POSTBODE_CORS_ORIGINS');
  const publishKey = settings.get('POSTBODE_PUBLISH_KEY');
  const proxyHeader = settings.get('POSTBODE_TRUSTED_PROXY_HEADER');
  const limits = {
    maxSocketsPerUser: atLeast('POSTBODE_MAX_SOCKETS_PER_USER', 0),
    maxConnectionsPerAddress: atLeast('POSTBODE_MAX_CONNECTIONS_PER_ADDRESS', 0),
    handshakesPerMinute: atLeast('POSTBODE_HANDSHAKES_PER_MINUTE', 0),
    ...(proxyHeader === undefined ? {} : { trustedProxyHeader: proxyHeader.toLowerCase() }),
    authTimeoutMs: atLeast('POSTBODE_AUTH_TIMEOUT_MS', 1000),
  };
  return {
    port,
    ...(host === undefined ? {} : { host }),
    ...(redisUrl === undefined ? {} : { redisUrl }),
    workers,
    channel: settings.withDefault('POSTBODE_CHANNEL'),
    stream,
    eventsStream,
    nodeId: settings.get('POSTBODE_NODE_ID') ?? defaultNodeId(),
    history,
    presence: {
      graceSeconds: atLeast('POSTBODE_PRESENCE_GRACE', 0),
      ttlSeconds: atLeast('POSTBODE_PRESENCE_TTL', 1),
      keyPrefix: presencePrefix,
    },
    jwt,
    ...(cors === undefined ? {} : { corsOrigins: cors.trim() === '*' ? '*' : splitList(cors) }),
    ...(publishKey === undefined ? {} : { publishKey }),
    maxEnvelopeBytes,
    maxSocketBufferBytes: atLeast('POSTBODE_MAX_SOCKET_BUFFER_BYTES', 65536),
    logLevel: settings.withDefault('POSTBODE_LOG_LEVEL') as LogLevel,
    limits,
    redisCommandTimeoutMs: atLeast('POSTBODE_REDIS_COMMAND_TIMEOUT_MS', 100),
    shutdown: {
      drainSeconds: atLeast('POSTBODE_SHUTDOWN_DRAIN_SECONDS', 0),
      batchSize: atLeast('POSTBODE_SHUTDOWN_BATCH_SIZE', 1),
    },
  };
}

/** `<hostname>:<pid>:<6 hex>`: unique per start, even for two nodes of one host and pid reuse. */
function defaultNodeId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 100) || 'node';
  return `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
