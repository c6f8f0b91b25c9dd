import { createPublicKey } from 'node:crypto';
import { DEFAULT_CHANNEL, DEFAULT_MAX_ENVELOPE_BYTES, PostbodeError } from '@postbode/protocol';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { ConfigVariableName } from './config-variables.js';

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** JWS algorithms the gateway can verify. */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

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
  /** Clock skew allowed on `exp`/`nbf`, in seconds. */
  clockToleranceSeconds: number;
}

/** The gateway's configuration, as {@link parseConfig} returns it. */
export interface GatewayConfig {
  port: number;
  /** Listen address; unset: all interfaces. */
  host?: string;
  /** Unset: the embedded in-memory bus. */
  redisUrl?: string;
  channel: string;
  jwt: JwtConfig;
  /** `'*'`: any origin; a list: those origins; unset: same origin only. */
  corsOrigins?: '*' | string[];
  /** Unset: `POST /publish` is disabled. */
  publishKey?: string;
  maxEnvelopeBytes: number;
  logLevel: LogLevel;
}

/** A variable's TypeBox schema (of its raw string) and what it expects, for the error line. */
interface Rule {
  schema: Type.TSchema;
  expected: string;
  secret?: boolean;
}

const intPattern = '^[0-9]{1,10}$';
const rules: Record<ConfigVariableName, Rule> = {
  POSTBODE_PORT: {
    schema: Type.String({ pattern: intPattern }),
    expected: 'an integer from 0 to 65535',
  },
  POSTBODE_HOST: {
    schema: Type.String({ pattern: '^[^\\s/]+$' }),
    expected: 'a host name or IP address',
  },
  POSTBODE_REDIS_URL: {
    schema: Type.String({ pattern: '^rediss?://[^\\s]+$' }),
    expected: 'a redis:// or rediss:// URL',
    secret: true,
  },
  POSTBODE_CHANNEL: {
    schema: Type.String({ pattern: '^\\S{1,256}$' }),
    expected: 'a channel name without spaces',
  },
  POSTBODE_JWT_SECRET: {
    schema: Type.String({ minLength: 1 }),
    expected: 'a non-empty secret',
    secret: true,
  },
  POSTBODE_JWT_PUBLIC_KEY: {
    schema: Type.String({ pattern: '-----BEGIN (RSA )?PUBLIC KEY-----' }),
    expected: 'a PEM public key ("-----BEGIN PUBLIC KEY-----...")',
  },
  POSTBODE_JWT_JWKS_URL: {
    schema: Type.String({ pattern: '^https?://\\S+$' }),
    expected: 'an http(s) URL',
  },
  POSTBODE_JWT_ALGORITHMS: {
    schema: Type.String({
      pattern: `^\\s*(${JWT_ALGORITHMS.join('|')})\\s*(,\\s*(${JWT_ALGORITHMS.join('|')})\\s*)*$`,
    }),
    expected: `a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`,
  },
  POSTBODE_JWT_AUDIENCE: {
    schema: Type.String({ pattern: '\\S' }),
    expected: 'a non-empty audience',
  },
  POSTBODE_JWT_ISSUER: { schema: Type.String({ pattern: '\\S' }), expected: 'a non-empty issuer' },
  POSTBODE_JWT_CLOCK_TOLERANCE: {
    schema: Type.String({ pattern: '^[0-9]{1,6}$' }),
    expected: 'a whole number of seconds',
  },
  POSTBODE_CORS_ORIGINS: {
    schema: Type.String({
      pattern: '^(\\*|\\s*https?://[^\\s,/]+\\s*(,\\s*https?://[^\\s,/]+\\s*)*)$',
    }),
    expected: '* or a comma-separated list of origins such as https://chat.example.com',
  },
  POSTBODE_PUBLISH_KEY: {
    schema: Type.String({ minLength: 16 }),
    expected: 'a key of at least 16 characters',
    secret: true,
  },
  POSTBODE_MAX_ENVELOPE_BYTES: {
    schema: Type.String({ pattern: intPattern }),
    expected: 'a whole number of bytes, at least 1024',
  },
  POSTBODE_LOG_LEVEL: { schema: Type.Enum([...LOG_LEVELS]), expected: LOG_LEVELS.join(', ') },
};

// The whole environment as one schema, compiled once; each property's rule names its variable.
const EnvSchema = Type.Object(
  Object.fromEntries(
    Object.entries(rules).map(([name, rule]) => [name, Type.Optional(rule.schema)]),
  ),
);
const envValidator = Compile(EnvSchema);

/** The error for one variable: names it and what was expected, echoing no secret. */
function invalid(
  name: ConfigVariableName,
  value: string | undefined,
  expected?: string,
): PostbodeError {
  const rule = rules[name];
  const got =
    value === undefined || rule.secret
      ? ''
      : `, got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)}`;
  return new PostbodeError('INVALID_CONFIG', `${name} must be ${expected ?? rule.expected}${got}`);
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/**
 * Reads the gateway's configuration from environment variables. Pure: give it `process.env`
 * (that is {@link readConfigFromEnv}) or any record. Empty values count as unset.
 * @throws PostbodeError `INVALID_CONFIG` with a message that names the variable.
 */
export function parseConfig(env: Record<string, string | undefined>): GatewayConfig {
  const raw: Partial<Record<ConfigVariableName, string>> = {};
  for (const name of Object.keys(rules) as ConfigVariableName[]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!envValidator.Check(raw)) {
    const first = envValidator.Errors(raw)[0];
    const name = (first?.instancePath.slice(1) ?? '') as ConfigVariableName;
    throw invalid(name, raw[name]);
  }

  const port = Number(raw.POSTBODE_PORT ?? 3000);
  if (port > 65535) throw invalid('POSTBODE_PORT', raw.POSTBODE_PORT);
  const maxEnvelopeBytes = Number(raw.POSTBODE_MAX_ENVELOPE_BYTES ?? DEFAULT_MAX_ENVELOPE_BYTES);
  if (maxEnvelopeBytes < 1024)
    throw invalid('POSTBODE_MAX_ENVELOPE_BYTES', raw.POSTBODE_MAX_ENVELOPE_BYTES);
  if (raw.POSTBODE_REDIS_URL !== undefined && !URL.canParse(raw.POSTBODE_REDIS_URL)) {
    throw invalid('POSTBODE_REDIS_URL', raw.POSTBODE_REDIS_URL);
  }
  if (raw.POSTBODE_JWT_JWKS_URL !== undefined && !URL.canParse(raw.POSTBODE_JWT_JWKS_URL)) {
    throw invalid('POSTBODE_JWT_JWKS_URL', raw.POSTBODE_JWT_JWKS_URL);
  }

  const jwt = parseJwtConfig(raw);
  const cors = raw.POSTBODE_CORS_ORIGINS;
  return {
    port,
    ...(raw.POSTBODE_HOST === undefined ? {} : { host: raw.POSTBODE_HOST }),
    ...(raw.POSTBODE_REDIS_URL === undefined ? {} : { redisUrl: raw.POSTBODE_REDIS_URL }),
    channel: raw.POSTBODE_CHANNEL ?? DEFAULT_CHANNEL,
    jwt,
    ...(cors === undefined ? {} : { corsOrigins: cors.trim() === '*' ? '*' : list(cors) }),
    ...(raw.POSTBODE_PUBLISH_KEY === undefined ? {} : { publishKey: raw.POSTBODE_PUBLISH_KEY }),
    maxEnvelopeBytes,
    logLevel: (raw.POSTBODE_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  };
}

const KEY_VARIABLES = [
  'POSTBODE_JWT_SECRET',
  'POSTBODE_JWT_PUBLIC_KEY',
  'POSTBODE_JWT_JWKS_URL',
] as const;

function parseJwtConfig(raw: Partial<Record<ConfigVariableName, string>>): JwtConfig {
  const given = KEY_VARIABLES.filter((name) => raw[name] !== undefined);
  if (given.length === 0) {
    throw new PostbodeError(
      'INVALID_CONFIG',
      'POSTBODE_JWT_SECRET is required (or POSTBODE_JWT_PUBLIC_KEY, or POSTBODE_JWT_JWKS_URL): the key that checks the tokens your backend signs',
    );
  }
  if (given.length > 1) {
    throw new PostbodeError(
      'INVALID_CONFIG',
      `${given.join(' and ')} conflict: set exactly one of ${KEY_VARIABLES.join(', ')}`,
    );
  }

  let key: JwtKeySource;
  let defaults: string[];
  let allowed: (alg: string) => boolean;
  if (raw.POSTBODE_JWT_SECRET !== undefined) {
    key = { kind: 'secret', secret: raw.POSTBODE_JWT_SECRET };
    defaults = ['HS256'];
    allowed = (alg) => alg.startsWith('HS');
  } else if (raw.POSTBODE_JWT_PUBLIC_KEY !== undefined) {
    const pem = raw.POSTBODE_JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    let type: string | undefined;
    try {
      type = createPublicKey(pem).asymmetricKeyType;
    } catch {
      throw invalid(
        'POSTBODE_JWT_PUBLIC_KEY',
        undefined,
        'a PEM public key that can be read (RSA or EC)',
      );
    }
    key = { kind: 'public-key', pem };
    defaults = type === 'ec' ? ['ES256'] : type === 'ed25519' ? ['EdDSA'] : ['RS256'];
    allowed = (alg) => !alg.startsWith('HS');
  } else {
    key = { kind: 'jwks', url: raw.POSTBODE_JWT_JWKS_URL as string };
    defaults = ['RS256', 'ES256'];
    allowed = (alg) => !alg.startsWith('HS');
  }

  const algorithms =
    raw.POSTBODE_JWT_ALGORITHMS === undefined ? defaults : list(raw.POSTBODE_JWT_ALGORITHMS);
  const wrong = algorithms.find((alg) => !allowed(alg));
  if (wrong !== undefined) {
    throw invalid(
      'POSTBODE_JWT_ALGORITHMS',
      raw.POSTBODE_JWT_ALGORITHMS,
      key.kind === 'secret'
        ? 'HS256, HS384 or HS512 with POSTBODE_JWT_SECRET'
        : `asymmetric algorithms only with ${given[0]}`,
    );
  }
  return {
    key,
    algorithms,
    ...(raw.POSTBODE_JWT_AUDIENCE === undefined
      ? {}
      : { audience: list(raw.POSTBODE_JWT_AUDIENCE) }),
    ...(raw.POSTBODE_JWT_ISSUER === undefined ? {} : { issuer: list(raw.POSTBODE_JWT_ISSUER) }),
    clockToleranceSeconds: Number(raw.POSTBODE_JWT_CLOCK_TOLERANCE ?? 30),
  };
}

/** Reads and validates the configuration from `process.env`: the one place the gateway reads it. */
export function readConfigFromEnv(): GatewayConfig {
  return parseConfig(process.env);
}
