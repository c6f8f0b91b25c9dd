import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseClaims } from '@postbode/protocol';
import { TEST_JWT_SECRET } from '@postbode/testkit';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { PURE_PHP_RUNTIMES, usePhpRuntime } from './support/php-wasm.js';
import { type IssueInput, phpTokenError, phpTokens } from './support/tokens.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8'): string =>
  key.export({ format: 'pem', type }) as string;

const algorithms = [
  ['HS256', 'hs256', TEST_JWT_SECRET, new TextEncoder().encode(TEST_JWT_SECRET)],
  ['RS256', 'rs256', pem(rsa.privateKey), rsa.publicKey],
  ['RS256 (PKCS#1 PEM)', 'rs256', pem(rsa.privateKey, 'pkcs1'), rsa.publicKey],
  ['ES256', 'es256', pem(ec.privateKey), ec.publicKey],
  ['ES256 (SEC1 PEM)', 'es256', pem(ec.privateKey, 'sec1'), ec.publicKey],
] as const;

describe.each(PURE_PHP_RUNTIMES)('TokenIssuer on $name', (runtime) => {
  const php = usePhpRuntime(runtime);

  it.each(algorithms)(
    '%s tokens verify with jose and carry the claims',
    async (_, algorithm, key, verifyKey) => {
      const [token] = await phpTokens(
        {
          algorithm,
          key,
          keyId: 'k1',
          issue: {
            userId: 42,
            site: 'nl',
            roles: ['member', 'admin'],
            ttlSeconds: 600,
            extraClaims: { aud: 'postbode', iss: 'https://example.nl' },
          },
        },
        php,
      );
      const alg = algorithm.toUpperCase();
      const { payload, protectedHeader } = await jwtVerify(token ?? '', verifyKey, {
        algorithms: [alg],
        audience: 'postbode',
        issuer: 'https://example.nl',
      });
      expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: 'k1' });
      expect(payload).toMatchObject({ sub: '42', site: 'nl', roles: ['member', 'admin'] });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
      expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(60);
      expect(parseClaims(payload)).toMatchObject({
        ok: true,
        claims: { sub: '42', site: 'nl', roles: ['member', 'admin'] },
      });
    },
  );

  it('leaves out site, roles and kid when not given', async () => {
    const [token] = await phpTokens(
      {
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: 'u-7' },
      },
      php,
    );
    const { payload } = await jwtVerify(token ?? '', new TextEncoder().encode(TEST_JWT_SECRET));
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'sub']);
    expect(payload.exp).toBe((payload.iat ?? 0) + 3600);
    expect(decodeProtectedHeader(token ?? '')).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  /** Signs `count` ES256 tokens; each signature must be R || S, 64 bytes, and verify. */
  async function es256Signatures(count: number): Promise<{ short: number }> {
    const tokens = await phpTokens(
      { algorithm: 'es256', key: pem(ec.privateKey), count, issue: { userId: 1 } },
      php,
    );
    expect(tokens).toHaveLength(count);
    let short = 0;
    for (const token of tokens) {
      const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url');
      expect(signature).toHaveLength(64);
      if (signature[0] === 0 || signature[32] === 0) short++;
      await jwtVerify(token, ec.publicKey, { algorithms: ['ES256'] });
    }
    return { short };
  }

  if (runtime.wasm === undefined) {
    it('encodes every ES256 signature as 64 raw bytes, also when R or S is short', async () => {
      // An R or S below 2^248 is shorter in DER (1 in 256 each): among 2000 signatures there
      // are some (the chance of none is about 1 in 6 million), and the test checks there were.
      expect((await es256Signatures(2000)).short).toBeGreaterThan(0);
    });
  } else {
    // ES256 in WebAssembly takes about 4 ms a signature (OpenSSL without assembly): 2000 on
    // every version would cost 40 s. The same PHP code meets short R and S on the system php.
    it('encodes every ES256 signature as 64 raw bytes (200 signatures)', async () => {
      await es256Signatures(200);
    });
  }

  it('uses base64url without padding', async () => {
    const [token] = await phpTokens(
      {
        algorithm: 'hs256',
        key: TEST_JWT_SECRET,
        issue: { userId: '??>>~~', extraClaims: { note: 'ü/+?' } },
      },
      php,
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const { payload } = await jwtVerify(token ?? '', new TextEncoder().encode(TEST_JWT_SECRET));
    expect(payload).toMatchObject({ sub: '??>>~~', note: 'ü/+?' });
  });

  it('does not verify with another key', async () => {
    const [token] = await phpTokens(
      {
        algorithm: 'es256',
        key: pem(ec.privateKey),
        issue: { userId: 1 },
      },
      php,
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await expect(jwtVerify(token ?? '', other.publicKey)).rejects.toThrow(/signature/);
  });

  it.each([
    [
      'a short HS256 secret',
      { algorithm: 'hs256', key: 'x'.repeat(31), issue: { userId: 1 } },
      'Postbode\\InvalidArgument',
      /^\$secret must be at least 32 bytes long for HS256 .*, got 31$/,
    ],
    [
      'an EC key for RS256',
      { algorithm: 'rs256', key: pem(ec.privateKey), issue: { userId: 1 } },
      'Postbode\\InvalidArgument',
      /RSA private key/,
    ],
    [
      'an RSA key for ES256',
      { algorithm: 'es256', key: pem(rsa.privateKey), issue: { userId: 1 } },
      'Postbode\\InvalidArgument',
      /P-256/,
    ],
    [
      'a 1024-bit RSA key',
      {
        algorithm: 'rs256',
        key: pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey),
        issue: { userId: 1 },
      },
      'Postbode\\InvalidArgument',
      /2048 bits/,
    ],
    [
      'a P-384 key for ES256',
      {
        algorithm: 'es256',
        key: pem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey),
        issue: { userId: 1 },
      },
      'Postbode\\InvalidArgument',
      /P-256/,
    ],
    [
      'not a PEM key',
      { algorithm: 'es256', key: 'nope', issue: { userId: 1 } },
      'Postbode\\InvalidArgument',
      /not a PEM private key/,
    ],
    [
      'an empty user id',
      { algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: '' } },
      'Postbode\\InvalidPayload',
      /\$userId must not be empty \(minLength\)/,
    ],
    [
      'a bad site',
      { algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: 1, site: 'a b' } },
      'Postbode\\InvalidPayload',
      /\$site must match/,
    ],
    [
      'an empty role',
      { algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: 1, roles: [''] } },
      'Postbode\\InvalidPayload',
      /\$roles\[0\] must not be empty/,
    ],
    [
      'a zero ttl',
      { algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: 1, ttlSeconds: 0 } },
      'Postbode\\InvalidArgument',
      /ttlSeconds/,
    ],
    [
      'an extra claim that overrides sub',
      { algorithm: 'hs256', key: TEST_JWT_SECRET, issue: { userId: 1, extraClaims: { sub: '2' } } },
      'Postbode\\InvalidArgument',
      /"sub" claim/,
    ],
  ] as const)('refuses %s', async (_, input, errorClass, message) => {
    const error = await phpTokenError(input as IssueInput, php);
    expect(error.class).toBe(errorClass);
    expect(error.message).toMatch(message);
    // Issue 18: every refusal is a Postbode\PostbodeException; settings say INVALID_CONFIG.
    expect(error.postbode).toBe(true);
    if (errorClass === 'Postbode\\InvalidArgument') expect(error.errorCode).toBe('INVALID_CONFIG');
    // Never a key or a secret in a message.
    expect(error.message).not.toContain(TEST_JWT_SECRET);
    expect(error.message).not.toContain('PRIVATE KEY');
  });
});
