import { type CryptoKey, type JWTPayload, type KeyObject, SignJWT } from 'jose';

/** Options of {@link signTestToken}. */
export interface SignTestTokenOptions {
  /**
   * The key: a shared secret (string, for HS256) or a private key (RS256/ES256).
   * @default 'test-secret-test-secret-test-secret!' (HS256)
   */
  key?: string | CryptoKey | KeyObject | Uint8Array;
  /**
   * The JWS algorithm.
   * @default 'HS256'
   */
  alg?: string;
  /**
   * Seconds until `exp`, from now; negative for an expired token.
   * @default 3600
   */
  expiresInSeconds?: number;
  /** `kid` header, for JWKS tests. */
  kid?: string;
}

/** The HS256 secret {@link signTestToken} uses by default. */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret!';

/**
 * Signs a token as the PHP backend would. `claims` go in as given (so tests can also sign
 * malformed claims); `exp` is set from `expiresInSeconds` unless `claims.exp` is given.
 *
 * @example
 * const token = await signTestToken({ sub: '42', site: 'nl', roles: ['admin'] });
 */
export async function signTestToken(
  claims: JWTPayload & Record<string, unknown>,
  options: SignTestTokenOptions = {},
): Promise<string> {
  const { key = TEST_JWT_SECRET, alg = 'HS256', expiresInSeconds = 3600, kid } = options;
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { iat: now, exp: now + expiresInSeconds, ...claims };
  const signingKey = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(payload)
    .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
    .sign(signingKey);
}
