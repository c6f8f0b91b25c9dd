import { DEFAULT_CHANNEL } from '@postbode/protocol';

/**
 * Every environment variable the gateway reads, with its default and meaning: the single
 * table behind `postbode-gateway --help`, the README and {@link parseConfig}.
 */
export const CONFIG_VARIABLES = [
  {
    name: 'POSTBODE_PORT',
    default: '3000',
    description: 'TCP port for HTTP and socket.io (0: any free port).',
  },
  {
    name: 'POSTBODE_HOST',
    default: '(all interfaces)',
    description: 'Address to listen on, e.g. 127.0.0.1.',
  },
  {
    name: 'POSTBODE_REDIS_URL',
    default: '(unset: embedded in-memory bus)',
    description:
      'redis:// or rediss:// URL of the Redis the backend publishes to. Unset: one node, publish only through POST /publish.',
  },
  {
    name: 'POSTBODE_CHANNEL',
    default: DEFAULT_CHANNEL,
    description: 'Redis pub/sub channel to subscribe to.',
  },
  {
    name: 'POSTBODE_JWT_SECRET',
    default: '(one key setting is required)',
    description: 'Shared secret for HS256 tokens.',
  },
  {
    name: 'POSTBODE_JWT_PUBLIC_KEY',
    default: '(one key setting is required)',
    description: 'PEM public key (RSA or EC) for RS256/ES256 tokens; "\\n" escapes are accepted.',
  },
  {
    name: 'POSTBODE_JWT_JWKS_URL',
    default: '(one key setting is required)',
    description: 'http(s) URL of a JWKS; keys are fetched and cached.',
  },
  {
    name: 'POSTBODE_JWT_ALGORITHMS',
    default: 'HS256 with a secret; RS256 or ES256 by key type; RS256,ES256 with JWKS',
    description: 'Comma-separated allow-list of JWS algorithms.',
  },
  {
    name: 'POSTBODE_JWT_AUDIENCE',
    default: '(unset: not checked)',
    description: 'Required "aud" claim (comma-separated for several).',
  },
  {
    name: 'POSTBODE_JWT_ISSUER',
    default: '(unset: not checked)',
    description: 'Required "iss" claim (comma-separated for several).',
  },
  {
    name: 'POSTBODE_JWT_CLOCK_TOLERANCE',
    default: '30',
    description:
      'Seconds of clock skew allowed on exp/nbf; a socket is disconnected this long after exp.',
  },
  {
    name: 'POSTBODE_CORS_ORIGINS',
    default: '(unset: same origin only)',
    description: 'Comma-separated origins allowed to connect from a browser, or * for any.',
  },
  {
    name: 'POSTBODE_PUBLISH_KEY',
    default: '(unset: POST /publish disabled)',
    description: 'Bearer key (at least 16 characters) that enables POST /publish.',
  },
  {
    name: 'POSTBODE_MAX_ENVELOPE_BYTES',
    default: '1048576',
    description: 'Largest envelope accepted from the bus, in bytes (POST /publish bodies: 64 KiB).',
  },
  {
    name: 'POSTBODE_LOG_LEVEL',
    default: 'info',
    description: 'fatal, error, warn, info, debug, trace or silent. Logs are JSON lines on stdout.',
  },
] as const;

/** The name of a gateway environment variable. */
export type ConfigVariableName = (typeof CONFIG_VARIABLES)[number]['name'];

/** The text of `postbode-gateway --help`. */
export function formatHelp(): string {
  const width = Math.max(...CONFIG_VARIABLES.map((variable) => variable.name.length));
  const lines = CONFIG_VARIABLES.map(
    (variable) =>
      `  ${variable.name.padEnd(width)}  ${variable.description}\n  ${' '.repeat(width)}  default: ${variable.default}`,
  );
  return [
    'postbode-gateway: the Postbode real-time gateway.',
    '',
    'Usage: postbode-gateway [--help]',
    '',
    'Configured by environment variables only:',
    ...lines,
    '',
    'HTTP: GET /healthz, GET /readyz, GET /metrics, POST /publish; socket.io at /socket.io.',
    '',
  ].join('\n');
}
