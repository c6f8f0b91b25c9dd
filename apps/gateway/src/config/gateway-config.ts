import type { LogLevel } from './log-levels.js';

/** Where token signatures are checked against. */
export type JwtKeySource =
  | { kind: 'secret'; secret: string }
  | { kind: 'public-key'; pem: string }
  | { kind: 'jwks'; url: string };

/** Token verification settings. */
export interface JwtConfig {
  key: JwtKeySource;
  /** Allowed JWS algorithms. */
  algorithms: string[];
  /** Accepted `aud` values; unset: not checked. */
  audience?: string[];
  /** Accepted `iss` values; unset: not checked. */
  issuer?: string[];
  /** Accept any `aud`/`iss` with a public key or JWKS (`POSTBODE_JWT_ANY_AUDIENCE`). */
  anyAudience: boolean;
  /** Clock skew allowed on `exp`/`nbf`, in seconds. */
  clockToleranceSeconds: number;
}

/** Durable history and recovery. */
export interface HistoryConfig {
  /** How long messages stay recoverable, in seconds. */
  retentionSeconds: number;
  /** Most messages retained. */
  maxEntries: number;
  /** Most envelope bytes retained in memory. */
  maxBytes: number;
  /** Most messages replayed to one socket. */
  recoveryMax: number;
}

/** Presence (contract 7). */
export interface PresenceConfig {
  /** How long a user stays online after their last socket closed, in seconds. */
  graceSeconds: number;
  /** Within how many seconds a dead node's users go offline. */
  ttlSeconds: number;
  /** The prefix of every presence key (`POSTBODE_PRESENCE_PREFIX`). */
  keyPrefix: string;
}

/** Shutdown of the process (SIGTERM/SIGINT). */
export interface ShutdownConfig {
  /** How long the node drains before it closes its sockets, in seconds. */
  drainSeconds: number;
  /** Sockets closed per batch after the drain. */
  batchSize: number;
}

/** The gateway's configuration, as {@link parseConfig} returns it. */
export interface GatewayConfig {
  port: number;
  /** Listen address; unset: all interfaces. */
  host?: string;
  /** Unset: the embedded in-memory bus. */
  redisUrl?: string;
  /** Processes serving the port (`POSTBODE_WORKERS`, `--workers`): 1 is this process alone. */
  workers: number;
  channel: string;
  /** The stream of durable messages. */
  stream: string;
  /** The backend event stream (presence transitions, client actions for PHP). */
  eventsStream: string;
  /** This node's name, unique among the nodes sharing a Redis. */
  nodeId: string;
  history: HistoryConfig;
  presence: PresenceConfig;
  jwt: JwtConfig;
  /** `'*'`: any origin; a list: those origins; unset: same origin only. */
  corsOrigins?: '*' | string[];
  /** Unset: `POST /publish` is disabled. */
  publishKey?: string;
  maxEnvelopeBytes: number;
  /** Bytes that may wait to be sent to one socket before its connection is cut. */
  maxSocketBufferBytes: number;
  logLevel: LogLevel;
  /** Abuse limits per node (0: no limit); see the README's Security section. */
  limits: ConnectionLimitsConfig;
  /** How long a Redis command in a request path may take, in ms. */
  redisCommandTimeoutMs: number;
  shutdown: ShutdownConfig;
}

/** Limits on connections and sockets, per node. `0`: no limit. */
export interface ConnectionLimitsConfig {
  maxSocketsPerUser: number;
  maxConnectionsPerAddress: number;
  handshakesPerMinute: number;
  /** Lower-case header name carrying the client address; unset: the TCP peer. */
  trustedProxyHeader?: string;
  /** How long a connection may stay without an authenticated socket, in ms. */
  authTimeoutMs: number;
}
