import { createPublicKey } from 'node:crypto';
import { PostbodeError } from '@postbode/protocol';
import type { JwtConfig, JwtKeySource } from './gateway-config.js';
import { invalidSetting, type RawSettings, splitList } from './raw-settings.js';

/** Host names of this machine, where a JWKS may be fetched over plain http. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The shortest HS256 secret, in bytes; the PHP TokenIssuer has the same limit. */
export const MIN_SECRET_BYTES = 32;

const KEY_VARIABLES = [
  'POSTBODE_JWT_SECRET',
  'POSTBODE_JWT_PUBLIC_KEY',
  'POSTBODE_JWT_JWKS_URL',
] as const;

/** A key source with the algorithms it defaults to and the ones it may use. */
interface ResolvedKey {
  key: JwtKeySource;
  defaults: string[];
  allowed(alg: string): boolean;
}

function resolveKey(settings: RawSettings): ResolvedKey {
  const secret = settings.get('POSTBODE_JWT_SECRET');
  if (secret !== undefined) {
    // RFC 7518 §3.2: an HS256 key MUST have at least 256 bits. Refused, as the PHP TokenIssuer
    // refuses it (issue 18: one policy on both sides); a Postbode secret is new, never legacy.
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      throw invalidSetting(
        'POSTBODE_JWT_SECRET',
        undefined,
        `at least ${MIN_SECRET_BYTES} bytes long (RFC 7518 section 3.2: HS256 needs a key of 256 bits or more), e.g. \`openssl rand -base64 32\``,
      );
    }
    return {
      key: { kind: 'secret', secret },
      defaults: ['HS256'],
      allowed: (alg) => alg.startsWith('HS'),
    };
  }
  const asymmetric = (alg: string) => !alg.startsWith('HS');
  const publicKey = settings.get('POSTBODE_JWT_PUBLIC_KEY');
  if (publicKey !== undefined) {
    const pem = publicKey.replace(/\\n/g, '\n');
    let type: string | undefined;
    try {
      type = createPublicKey(pem).asymmetricKeyType;
    } catch {
      throw invalidSetting(
        'POSTBODE_JWT_PUBLIC_KEY',
        undefined,
        'a PEM public key that can be read (RSA or EC)',
      );
    }
    return {
      key: { kind: 'public-key', pem },
      defaults: type === 'ec' ? ['ES256'] : type === 'ed25519' ? ['EdDSA'] : ['RS256'],
      allowed: asymmetric,
    };
  }
  const url = settings.get('POSTBODE_JWT_JWKS_URL') as string;
  if (!URL.canParse(url)) throw invalidSetting('POSTBODE_JWT_JWKS_URL', url);
  // Keys fetched over plain HTTP can be swapped by anyone on the path: https only, except on
  // this machine (development, a sidecar).
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'https:' && !LOOPBACK_HOSTS.has(hostname)) {
    throw invalidSetting('POSTBODE_JWT_JWKS_URL', url);
  }
  return { key: { kind: 'jwks', url }, defaults: ['RS256', 'ES256'], allowed: asymmetric };
}

/**
 * Resolves the token key (exactly one of the secret, the public key and the JWKS URL), the
 * allowed algorithms (defaulted by key kind; symmetric and asymmetric never mixed) and the
 * claim checks.
 * @throws PostbodeError `INVALID_CONFIG` naming the variable.
 */
export function resolveJwtConfig(settings: RawSettings): JwtConfig {
  const given = KEY_VARIABLES.filter((name) => settings.get(name) !== undefined);
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
  const { key, defaults, allowed } = resolveKey(settings);
  const listed = settings.get('POSTBODE_JWT_ALGORITHMS');
  const algorithms = listed === undefined ? defaults : splitList(listed);
  if (algorithms.some((alg) => !allowed(alg))) {
    throw invalidSetting(
      'POSTBODE_JWT_ALGORITHMS',
      listed,
      key.kind === 'secret'
        ? 'HS256, HS384 or HS512 with POSTBODE_JWT_SECRET'
        : `asymmetric algorithms only with ${given[0]}`,
    );
  }
  const audience = settings.get('POSTBODE_JWT_AUDIENCE');
  const issuer = settings.get('POSTBODE_JWT_ISSUER');
  const anyAudience = settings.withDefault('POSTBODE_JWT_ANY_AUDIENCE') === 'true';
  // A public key or JWKS often belongs to an identity provider that signs tokens for other
  // services too: without an audience or issuer check, all of them would be accepted here.
  if (key.kind !== 'secret' && audience === undefined && issuer === undefined && !anyAudience) {
    throw new PostbodeError(
      'INVALID_CONFIG',
      `POSTBODE_JWT_AUDIENCE or POSTBODE_JWT_ISSUER is required with ${given[0]}: without one, any token the key's owner signs for any service is accepted; set POSTBODE_JWT_ANY_AUDIENCE=true to accept that on purpose`,
    );
  }
  return {
    key,
    algorithms,
    anyAudience,
    ...(audience === undefined ? {} : { audience: splitList(audience) }),
    ...(issuer === undefined ? {} : { issuer: splitList(issuer) }),
    clockToleranceSeconds: Number(settings.withDefault('POSTBODE_JWT_CLOCK_TOLERANCE')),
  };
}
