import {
  DEFAULT_CHANNEL,
  DEFAULT_EVENTS_STREAM,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_STREAM,
  PRESENCE_KEY_PREFIX,
} from '@postbode/protocol';
import Type from 'typebox';
import { JWT_ALGORITHMS } from './jwt-algorithms.js';
import { LOG_LEVELS } from './log-levels.js';

/**
 * One environment variable of the gateway, declared once: how its raw string is checked, its
 * default, what it means. Parsing ({@link parseConfig}), `postbode-gateway --help` and the
 * README's configuration table all derive from {@link CONFIG_VARIABLES}.
 */
export interface ConfigVariable {
  /** `POSTBODE_...` */
  readonly name: string;
  /**
   * The value used when the variable is unset, written as an operator would write it; parsed
   * like a set value. Absent when unset has a meaning of its own ({@link whenUnset}).
   */
  readonly default?: string;
  /** What leaving it unset means, when there is no default value. */
  readonly whenUnset?: string;
  /** What it does: one or two sentences, Markdown code spans allowed. */
  readonly description: string;
  /** An example value, for the README and `--help`. */
  readonly example: string;
  /** Never echoed in errors, help or logs. */
  readonly secret: boolean;
  /** The check of the raw string (before conversion). */
  readonly schema: Type.TSchema;
  /** What a valid value is, for the one error line: `NAME must be <expected>, got "..."`. */
  readonly expected: string;
}

const int = (digits: number) => Type.String({ pattern: `^[0-9]{1,${digits}}$` });
const algorithmList = JWT_ALGORITHMS.join('|');

/** Every variable the gateway reads, in the order `--help` and the README list them. */
export const CONFIG_VARIABLES = [
  {
    name: 'POSTBODE_PORT',
    default: '3000',
    description: 'TCP port for HTTP and socket.io (0: any free port).',
    example: '3000',
    secret: false,
    schema: int(10),
    expected: 'an integer from 0 to 65535',
  },
  {
    name: 'POSTBODE_HOST',
    whenUnset: 'all interfaces',
    description: 'Address to listen on.',
    example: '127.0.0.1',
    secret: false,
    schema: Type.String({ pattern: '^[^\\s/]+$' }),
    expected: 'a host name or IP address',
  },
  {
    name: 'POSTBODE_WORKERS',
    default: '1',
    description:
      'Processes serving the one port (`--workers` on the command line wins): a primary forks this many workers, keeps each long-polling client on the worker holding its session, replaces a worker that dies, and aggregates `/metrics`; `auto` is one per core. More than 1 needs `POSTBODE_REDIS_URL`.',
    example: 'auto',
    secret: false,
    schema: Type.String({ pattern: '^(auto|[0-9]{1,3})$' }),
    expected: 'auto or a number of workers from 1 to 256',
  },
  {
    name: 'POSTBODE_REDIS_URL',
    whenUnset: 'embedded in-memory bus (one process, publish only through `POST /publish`)',
    description:
      'The Redis the backend publishes to: `redis://` or `rediss://` for one Redis; `redis+sentinel://[:password@]host:port,host:port/<master name>` for the master named by Sentinels (`?sentinelPassword=` when they want one); `redis+cluster://[:password@]host:port,host:port` for a Redis Cluster (keys need hash tags: see "Highly available Redis").',
    example: 'redis+sentinel://10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379/postbode',
    secret: true,
    schema: Type.String({ pattern: '^rediss?(\\+sentinel|\\+cluster)?://[^\\s]+$' }),
    expected:
      'a redis:// or rediss:// URL, redis+sentinel://host:port[,host:port...]/<master name>, or redis+cluster://host:port[,host:port...]',
  },
  {
    name: 'POSTBODE_CHANNEL',
    default: DEFAULT_CHANNEL,
    description:
      'Redis pub/sub channel to subscribe to (live only: not recoverable; prefer the stream).',
    example: 'postbode',
    secret: false,
    schema: Type.String({ pattern: '^\\S{1,256}$' }),
    expected: 'a channel name without spaces',
  },
  {
    name: 'POSTBODE_STREAM',
    default: DEFAULT_STREAM,
    description:
      'Redis stream of durable messages (field `envelope`); `POST /publish` and the PHP publisher append there. Its meta hash is `<stream>:meta`.',
    example: 'postbode:stream',
    secret: false,
    schema: Type.String({ pattern: '^\\S{1,256}$' }),
    expected: 'a stream key without spaces',
  },
  {
    name: 'POSTBODE_EVENTS_STREAM',
    default: DEFAULT_EVENTS_STREAM,
    description:
      'Redis stream the gateway appends backend events to (presence transitions, client actions for PHP workers); fields `action`, `site`, `user`, `id`, `ts`, `node`, `data`.',
    example: 'postbode:events',
    secret: false,
    schema: Type.String({ pattern: '^\\S{1,256}$' }),
    expected: 'a stream key without spaces',
  },
  {
    name: 'POSTBODE_NODE_ID',
    whenUnset: '`<hostname>:<pid>:<random>`, new at every start',
    description:
      "This node's name in backend events, presence keys and logs; unique among the nodes sharing a Redis.",
    example: 'gateway-1',
    secret: false,
    schema: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }),
    expected: 'letters, digits, `.`, `_`, `:` or `-`, at most 128',
  },
  {
    name: 'POSTBODE_PRESENCE_GRACE',
    default: '10',
    description:
      'Seconds a user stays online after their last socket closed, so a reload, a navigation or a deploy that moves them to another node does not flap (contract 7).',
    example: '10',
    secret: false,
    schema: int(5),
    expected: 'a whole number of seconds',
  },
  {
    name: 'POSTBODE_PRESENCE_TTL',
    default: '30',
    description:
      "Seconds within which a node that stopped without saying goodbye (crash, pause) has its users taken offline by the other nodes; a node's heartbeat expires after half of it.",
    example: '30',
    secret: false,
    schema: int(5),
    expected: 'a whole number of seconds, at least 1',
  },
  {
    name: 'POSTBODE_PRESENCE_PREFIX',
    default: PRESENCE_KEY_PREFIX,
    description:
      "Prefix of every presence key (`<prefix>:<site>:online`, `<prefix>-node:<node>`, ...). Redis Cluster: a prefix with a hash tag, the same as `POSTBODE_EVENTS_STREAM`'s (for example `{postbode}:presence` with `{postbode}:events`).",
    example: '{postbode}:presence',
    secret: false,
    schema: Type.String({ pattern: '^\\S{1,128}$' }),
    expected: 'a key prefix without spaces',
  },
  {
    name: 'POSTBODE_HISTORY_SECONDS',
    default: '300',
    description:
      "How long durable messages stay recoverable; the stream and each node's memory are trimmed to it.",
    example: '300',
    secret: false,
    schema: int(7),
    expected: 'a whole number of seconds, at least 1',
  },
  {
    name: 'POSTBODE_HISTORY_MAX_ENTRIES',
    default: '100000',
    description:
      'Most durable messages retained (in the stream and in memory), whatever their age.',
    example: '100000',
    secret: false,
    schema: int(9),
    expected: 'a whole number, at least 1',
  },
  {
    name: 'POSTBODE_HISTORY_MAX_BYTES',
    default: '268435456',
    description: 'Most envelope bytes of history a node keeps in memory (default 256 MiB).',
    example: '67108864',
    secret: false,
    schema: int(12),
    expected: 'a whole number of bytes, at least 1024',
  },
  {
    name: 'POSTBODE_RECOVERY_MAX',
    default: '1000',
    description:
      'Most messages replayed to one resuming socket; more missed: `recovered: false`, reason `too_many`, nothing replayed.',
    example: '1000',
    secret: false,
    schema: int(7),
    expected: 'a whole number, at least 1',
  },
  {
    name: 'POSTBODE_JWT_SECRET',
    whenUnset: 'one of the three key settings is required',
    description:
      'Shared secret for HS256 tokens, at least 32 bytes (RFC 7518 §3.2; the PHP `TokenIssuer` refuses shorter ones too).',
    example: 'change-me-to-32-or-more-random-bytes',
    secret: true,
    schema: Type.String({ minLength: 1 }),
    expected: 'a secret of at least 32 bytes',
  },
  {
    name: 'POSTBODE_JWT_PUBLIC_KEY',
    whenUnset: 'one of the three key settings is required',
    description: 'PEM public key (RSA or EC) for RS256/ES256 tokens; `\\n` escapes are accepted.',
    example: '-----BEGIN PUBLIC KEY-----\\n...\\n-----END PUBLIC KEY-----',
    secret: false,
    schema: Type.String({ pattern: '-----BEGIN (RSA )?PUBLIC KEY-----' }),
    expected: 'a PEM public key ("-----BEGIN PUBLIC KEY-----...")',
  },
  {
    name: 'POSTBODE_JWT_JWKS_URL',
    whenUnset: 'one of the three key settings is required',
    description:
      '`https://` URL of a JWKS (keys fetched on demand, cached 10 min); `http://` only on loopback (`localhost`, `127.0.0.1`, `[::1]`).',
    example: 'https://app.example.com/.well-known/jwks.json',
    secret: false,
    schema: Type.String({ pattern: '^https?://\\S+$' }),
    expected: 'an https:// URL (http:// only on loopback)',
  },
  {
    name: 'POSTBODE_JWT_ALGORITHMS',
    whenUnset:
      '`HS256` with a secret; `RS256`, `ES256` or `EdDSA` by key type; `RS256,ES256` with a JWKS',
    description: 'Comma-separated allow-list of JWS algorithms; `none` never.',
    example: 'RS256,ES256',
    secret: false,
    schema: Type.String({
      pattern: `^\\s*(${algorithmList})\\s*(,\\s*(${algorithmList})\\s*)*$`,
    }),
    expected: `a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`,
  },
  {
    name: 'POSTBODE_JWT_AUDIENCE',
    whenUnset: 'not checked',
    description: 'Required `aud` claim (comma-separated for several).',
    example: 'chat',
    secret: false,
    schema: Type.String({ pattern: '\\S' }),
    expected: 'a non-empty audience',
  },
  {
    name: 'POSTBODE_JWT_ISSUER',
    whenUnset: 'not checked',
    description: 'Required `iss` claim (comma-separated for several).',
    example: 'https://app.example.com',
    secret: false,
    schema: Type.String({ pattern: '\\S' }),
    expected: 'a non-empty issuer',
  },
  {
    name: 'POSTBODE_JWT_ANY_AUDIENCE',
    default: 'false',
    description:
      '`true`: accept tokens with any `aud`/`iss` from a public key or JWKS. Without it, a public key or JWKS needs `POSTBODE_JWT_AUDIENCE` or `POSTBODE_JWT_ISSUER` (a shared identity provider signs tokens for other services too).',
    example: 'false',
    secret: false,
    schema: Type.Enum(['true', 'false']),
    expected: 'true or false',
  },
  {
    name: 'POSTBODE_JWT_CLOCK_TOLERANCE',
    default: '30',
    description:
      'Seconds of clock skew allowed on `exp`/`nbf`; a connected socket is disconnected this long after `exp`.',
    example: '30',
    secret: false,
    schema: int(6),
    expected: 'a whole number of seconds',
  },
  {
    name: 'POSTBODE_CORS_ORIGINS',
    whenUnset: 'same origin only',
    description: 'Comma-separated origins allowed to connect from a browser, or `*` for any.',
    example: 'https://chat.example.com',
    secret: false,
    schema: Type.String({
      pattern: '^(\\*|\\s*https?://[^\\s,/]+\\s*(,\\s*https?://[^\\s,/]+\\s*)*)$',
    }),
    expected: '* or a comma-separated list of origins such as https://chat.example.com',
  },
  {
    name: 'POSTBODE_PUBLISH_KEY',
    whenUnset: '`POST /publish` disabled',
    description: 'Bearer key (at least 16 characters) that enables `POST /publish`.',
    example: 'a-key-of-16-chars-or-more',
    secret: true,
    schema: Type.String({ minLength: 16 }),
    expected: 'a key of at least 16 characters',
  },
  {
    name: 'POSTBODE_MAX_ENVELOPE_BYTES',
    default: String(DEFAULT_MAX_ENVELOPE_BYTES),
    description:
      'Largest envelope accepted from the bus, in bytes, checked before parsing (`POST /publish` bodies: 64 KiB).',
    example: '65536',
    secret: false,
    schema: int(10),
    expected: 'a whole number of bytes, at least 1024',
  },
  {
    name: 'POSTBODE_MAX_SOCKET_BUFFER_BYTES',
    default: '8388608',
    description:
      'Bytes that may wait to be sent to one socket (a client that stopped reading); past it the connection is cut and the client recovers from its cursor when it reconnects (default 8 MiB).',
    example: '8388608',
    secret: false,
    schema: int(12),
    expected: 'a whole number of bytes, at least 65536',
  },
  {
    name: 'POSTBODE_MAX_SOCKETS_PER_USER',
    default: '20',
    description:
      'Most sockets one user (`site` and `sub`) may have open on one node; more: `connect_error` `RATE_LIMITED`. `0`: no limit.',
    example: '20',
    secret: false,
    schema: int(7),
    expected: 'a whole number (0: no limit)',
  },
  {
    name: 'POSTBODE_MAX_CONNECTIONS_PER_ADDRESS',
    default: '1000',
    description:
      'Most connections open at once from one remote address on one node; more: the handshake is refused (HTTP 403, `Forbidden`). `0`: no limit.',
    example: '1000',
    secret: false,
    schema: int(7),
    expected: 'a whole number (0: no limit)',
  },
  {
    name: 'POSTBODE_HANDSHAKES_PER_MINUTE',
    default: '600',
    description:
      'Most new connections one remote address may open per minute on one node (a bucket of this many, refilled evenly); more: the handshake is refused like an address over its limit. `0`: no limit.',
    example: '600',
    secret: false,
    schema: int(7),
    expected: 'a whole number (0: no limit)',
  },
  {
    name: 'POSTBODE_TRUSTED_PROXY_HEADER',
    whenUnset: 'the TCP peer address',
    description:
      'Header that carries the client address from your load balancer (e.g. `x-forwarded-for`: its last entry is used). Set it only behind a proxy that sets it: clients can send it too.',
    example: 'x-forwarded-for',
    secret: false,
    schema: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
    expected: 'an HTTP header name',
  },
  {
    name: 'POSTBODE_AUTH_TIMEOUT_MS',
    default: '10000',
    description:
      'How long a connection may stay open without an authenticated socket (no CONNECT, or only refused ones) before it is closed, in ms.',
    example: '10000',
    secret: false,
    schema: int(7),
    expected: 'a whole number of ms, at least 1000',
  },
  {
    name: 'POSTBODE_REDIS_COMMAND_TIMEOUT_MS',
    default: '2000',
    description:
      'How long a Redis command in a request path (`POST /publish`, readiness, the stream reader) may take before it fails with `UNAVAILABLE`, in ms.',
    example: '2000',
    secret: false,
    schema: int(6),
    expected: 'a whole number of ms, at least 100',
  },
  {
    name: 'POSTBODE_SHUTDOWN_DRAIN_SECONDS',
    default: '5',
    description:
      "On SIGTERM/SIGINT, seconds the node keeps serving its sockets with `/readyz` at 503 and new handshakes answered 503, so the load balancer stops sending it connections, before it closes them. Set it above your health checker's interval × failures; a second signal ends it at once.",
    example: '5',
    secret: false,
    schema: int(4),
    expected: 'a whole number of seconds',
  },
  {
    name: 'POSTBODE_SHUTDOWN_BATCH_SIZE',
    default: '500',
    description:
      'After the drain, sockets closed at once; batches follow every 100 ms (±50 % jitter) so the other nodes do not take every reconnect in the same instant.',
    example: '500',
    secret: false,
    schema: int(7),
    expected: 'a whole number, at least 1',
  },
  {
    name: 'POSTBODE_LOG_LEVEL',
    default: 'info',
    description: `${LOG_LEVELS.map((level) => `\`${level}\``).join(', ')}. Logs are JSON lines on stdout.`,
    example: 'info',
    secret: false,
    schema: Type.Enum([...LOG_LEVELS]),
    expected: LOG_LEVELS.join(', '),
  },
] as const satisfies readonly ConfigVariable[];

/** The name of a gateway environment variable. */
export type ConfigVariableName = (typeof CONFIG_VARIABLES)[number]['name'];

/** The names of the variables that have a default value. */
export type DefaultedVariableName = Extract<
  (typeof CONFIG_VARIABLES)[number],
  { default: string }
>['name'];

/** The variable called `name`. */
export function configVariable(name: ConfigVariableName): ConfigVariable {
  return CONFIG_VARIABLES.find((variable) => variable.name === name) as ConfigVariable;
}

/** The default as `--help` and the README show it: the value, or what unset means. */
export function describeDefault(variable: ConfigVariable): string {
  return variable.default ?? `(unset: ${variable.whenUnset})`;
}
