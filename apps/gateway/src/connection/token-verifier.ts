import { createPublicKey, webcrypto } from 'node:crypto';
import { echoText, type NormalizedClaims, PostbodeError, parseClaims } from '@postbode/protocol';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { JwtConfig } from '../config/gateway-config.js';
import { createHmacFastPath } from './hmac-fast-path.js';
import { HMAC_HASHES } from './hmac-hashes.js';

/** Longest token accepted, in characters; longer ones are refused without parsing. */
export const MAX_TOKEN_LENGTH = 8192;

/** Checks a token and returns its normalised claims. */
export interface TokenVerifier {
  /**
   * The synchronous answer for a valid HS-signed token (hmac-fast-path.ts): its claims, or
   * `undefined` when the full check must run (`verify`, which also words every refusal). Never
   * throws.
   */
  verifyNow(token: unknown): NormalizedClaims | undefined;
  /**
   * @throws PostbodeError `UNAUTHORIZED` or `TOKEN_EXPIRED`, with a message that never
   * contains the token.
   */
  verify(token: unknown): Promise<NormalizedClaims>;
}

const unauthorized = (message: string, cause?: unknown): PostbodeError =>
  new PostbodeError('UNAUTHORIZED', message, cause === undefined ? {} : { cause });

/**
 * The algorithm in a token's header, for error messages ('?' when unreadable), cut to the
 * echo length: the header is the client's to write.
 */
function headerAlg(token: string): string {
  try {
    return echoText(String(decodeProtectedHeader(token).alg));
  } catch {
    return '?';
  }
}

/**
 * Token types accepted in the `typ` header, compared case-insensitively (RFC 7515 §4.1.9,
 * `application/` prefix omitted): a JWT, or an OAuth access token (RFC 9068). Another `typ`
 * (an ID token's, a logout token's) is a token minted for something else.
 */
const ACCEPTED_TYPES = new Set(['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt']);

/** Translates jose's errors into our codes and messages that say what was expected. */
function translate(error: unknown, token: string, config: JwtConfig): PostbodeError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new PostbodeError('TOKEN_EXPIRED', 'token has expired; fetch a new one', {
        cause: error,
      });
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return unauthorized('token signature does not verify with the configured key', error);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return unauthorized(
        `token algorithm "${headerAlg(token)}" is not allowed; expected one of ${config.algorithms.join(', ')}`,
        error,
      );
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return unauthorized(`token ${message}`, error);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return unauthorized(`token is malformed: ${message}`, error);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return unauthorized('no key in the JWKS matches the token', error);
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return unauthorized('the JWKS could not be fetched to check the token', error);
    default:
      return unauthorized('token is not valid', error);
  }
}

/**
 * An HS secret as jose's key getter: one WebCrypto key per HMAC algorithm, imported on first
 * use and reused. Given the raw bytes, jose imports a new CryptoKey for every token (about a
 * third of its verification cost, measured by `pnpm bench --profile --scenario=storm`).
 */
function hmacKeys(secret: string): JWTVerifyGetKey {
  const raw = new TextEncoder().encode(secret);
  const imported = new Map<string, Promise<webcrypto.CryptoKey>>();
  return (header) => {
    const alg = String(header.alg);
    let key = imported.get(alg);
    if (key === undefined) {
      const hash = HMAC_HASHES[alg]?.webCrypto;
      // jose has already refused an algorithm outside the allow-list (HS* only for a secret).
      if (hash === undefined) throw unauthorized(`token algorithm "${echoText(alg)}" is not HMAC`);
      key = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash }, false, ['verify']);
      imported.set(alg, key);
    }
    return key;
  };
}

const acceptsType = (typ: string): boolean => ACCEPTED_TYPES.has(typ.toLowerCase());

/** Refuses a `typ` header naming a token minted for something else (checked before the key). */
function checkType(header: JWSHeaderParameters): void {
  const typ = header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !acceptsType(typ))) {
    throw unauthorized(
      `token type "${echoText(String(typ))}" is not accepted; expected JWT or at+jwt (or no typ)`,
    );
  }
}

/**
 * Creates the verifier for the configured key: an HS secret, a PEM public key, or a JWKS URL
 * (keys fetched on demand and cached by jose). With a secret, `verifyNow` answers a valid
 * token synchronously (hmac-fast-path.ts); jose checks every other token and words every
 * refusal. Algorithms are an allow-list; `alg: none` is
 * never accepted. The header's `typ` is checked in the key getter, where jose hands over the
 * header it has already decoded (no second decoding per token).
 */
export function createTokenVerifier(config: JwtConfig): TokenVerifier {
  let keyFor: JWTVerifyGetKey;
  switch (config.key.kind) {
    case 'secret':
      keyFor = hmacKeys(config.key.secret);
      break;
    case 'public-key': {
      const publicKey = createPublicKey(config.key.pem);
      keyFor = () => publicKey;
      break;
    }
    case 'jwks':
      keyFor = createRemoteJWKSet(new URL(config.key.url), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: 30_000,
        timeoutDuration: 5_000,
      });
      break;
    default: {
      const exhaustive: never = config.key;
      throw new Error(`unknown key source ${JSON.stringify(exhaustive)}`);
    }
  }
  const key: JWTVerifyGetKey = (header, token) => {
    checkType(header);
    return keyFor(header, token);
  };
  const options = {
    algorithms: config.algorithms,
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['sub', 'exp'],
    ...(config.audience === undefined ? {} : { audience: config.audience }),
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
  };

  const fastPath =
    config.key.kind === 'secret'
      ? createHmacFastPath({
          secret: config.key.secret,
          algorithms: config.algorithms,
          clockToleranceSeconds: config.clockToleranceSeconds,
          acceptsType,
          ...(config.audience === undefined ? {} : { audience: config.audience }),
          ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
        })
      : undefined;

  return {
    verifyNow(token) {
      if (fastPath === undefined || typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
        return undefined;
      }
      const payload = fastPath(token);
      if (payload === undefined) return undefined;
      const claims = parseClaims(payload);
      return claims.ok ? claims.claims : undefined;
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0) {
        throw unauthorized('no token: pass it in the handshake as io(url, { auth: { token } })');
      }
      if (token.length > MAX_TOKEN_LENGTH) {
        throw unauthorized(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
      }
      let payload: unknown;
      try {
        payload = (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        throw error instanceof PostbodeError ? error : translate(error, token, config);
      }
      const claims = parseClaims(payload);
      if (!claims.ok) throw unauthorized(`token ${claims.message}`);
      return claims.claims;
    },
  };
}
