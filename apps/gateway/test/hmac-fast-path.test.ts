import { createHmac } from 'node:crypto';
import type { NormalizedClaims } from '@postbode/protocol';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { JwtConfig } from '../src/config/gateway-config.js';
import { createTokenVerifier, type TokenVerifier } from '../src/connection/token-verifier.js';

// The fast path (src/connection/hmac-fast-path.ts) may only ever accept less than jose: every
// token it answers must be one jose accepts, with the same claims. Checked here on the usual
// valid tokens (which it must answer, or it saves nothing) and on thousands of tokens built to
// break one rule each: headers, claims, encodings, signatures, re-signed with the right key so
// that every check behind the signature is reached.

const SECRET = 'fast-path-secret-fast-path-secret-0123';
const OTHER_SECRET = 'another-secret-another-secret-another-0';
const now = () => Math.floor(Date.now() / 1000);

/** A seeded generator (mulberry32): the corpus is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const segment = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');
const json = (value: unknown): string => segment(JSON.stringify(value));
const HASHES: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** Signs two raw segments as they are (any bytes inside), with `alg`'s hash (HS256 if none). */
function sign(header: string, payload: string, alg = 'HS256', secret = SECRET): string {
  const mac = createHmac(HASHES[alg] ?? 'sha256', secret)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${mac}`;
}

type Outcome = { ok: true; claims: NormalizedClaims } | { ok: false; code: string };

async function slow(verifier: TokenVerifier, token: string): Promise<Outcome> {
  try {
    return { ok: true, claims: await verifier.verify(token) };
  } catch (error) {
    return { ok: false, code: String((error as { code?: unknown }).code) };
  }
}

/** Runs both paths on every token; fails on any token the fast path accepts and jose does not. */
async function compare(verifier: TokenVerifier, tokens: string[]) {
  let fastAccepted = 0;
  let slowAccepted = 0;
  const fastOnly: string[] = [];
  for (const token of tokens) {
    const fast = verifier.verifyNow(token);
    const outcome = await slow(verifier, token);
    if (outcome.ok) slowAccepted += 1;
    if (fast === undefined) continue;
    fastAccepted += 1;
    if (!outcome.ok) fastOnly.push(token);
    else expect(fast).toEqual(outcome.claims);
  }
  return { fastAccepted, slowAccepted, fastOnly };
}

const plainConfig: JwtConfig = {
  key: { kind: 'secret', secret: SECRET },
  algorithms: ['HS256'],
  anyAudience: false,
  clockToleranceSeconds: 5,
};
const strictConfig: JwtConfig = {
  key: { kind: 'secret', secret: SECRET },
  algorithms: ['HS256', 'HS384', 'HS512'],
  audience: ['chat', 'web'],
  issuer: ['https://app.example'],
  anyAudience: false,
  clockToleranceSeconds: 0,
};

describe('the HS fast path answers the usual valid tokens itself', () => {
  it('with the claims jose finds, for each algorithm, typ and claim shape', async () => {
    const verifier = createTokenVerifier(strictConfig);
    const base = { sub: '42', aud: 'chat', iss: 'https://app.example' };
    const tokens: string[] = [];
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      for (const typ of [undefined, 'JWT', 'jwt', 'at+jwt', 'application/AT+JWT']) {
        for (const claims of [
          base,
          { ...base, aud: ['other', 'web'], site: 'dating-nl', roles: ['member'] },
          { ...base, iat: now(), nbf: now() - 10, extra: { nested: [1, 'two'] } },
        ]) {
          tokens.push(
            await new SignJWT(claims)
              .setProtectedHeader({ alg, ...(typ === undefined ? {} : { typ }), kid: 'k1' })
              .setExpirationTime('1h')
              .sign(new TextEncoder().encode(SECRET)),
          );
        }
      }
    }
    const result = await compare(verifier, tokens);
    expect(result.fastOnly).toEqual([]);
    expect(result.fastAccepted).toBe(tokens.length);
    expect(result.slowAccepted).toBe(tokens.length);
  });

  it('is not used for a public key or a JWKS (jose checks those)', () => {
    const verifier = createTokenVerifier({
      ...plainConfig,
      key: { kind: 'jwks', url: 'http://127.0.0.1:1/jwks.json' },
      algorithms: ['RS256'],
      anyAudience: true,
    });
    expect(
      verifier.verifyNow(sign(json({ alg: 'HS256' }), json({ sub: '1', exp: now() + 60 }))),
    ).toBe(undefined);
  });
});

describe('the HS fast path never accepts a token jose refuses', () => {
  const headers: unknown[] = [
    { alg: 'HS256' },
    { alg: 'HS256', typ: 'JWT' },
    { alg: 'HS384', typ: 'at+jwt' },
    { alg: 'HS512', kid: 'k' },
    { alg: 'HS256', typ: 'id+jwt' },
    { alg: 'HS256', typ: 1 },
    { alg: 'HS256', typ: null },
    { alg: 'HS256', crit: ['b64'], b64: false },
    { alg: 'HS256', crit: ['b64'], b64: true },
    { alg: 'HS256', b64: false },
    { alg: 'HS256', crit: ['exp'] },
    { alg: 'HS256', crit: [] },
    { alg: 'HS256', jku: 'https://evil.example/keys' },
    { alg: 'hs256' },
    { alg: 'none' },
    { alg: 'RS256' },
    { alg: 1 },
    { alg: ['HS256'] },
    { typ: 'JWT' },
    ['HS256'],
    null,
    'HS256',
  ];
  const t = now();
  const claimSets: unknown[] = [
    { sub: '1', exp: t + 3600 },
    { sub: '1', exp: t + 3600, aud: 'chat', iss: 'https://app.example' },
    { sub: '1', exp: t + 3600, aud: ['x', 'web'], iss: 'https://app.example' },
    { sub: '1', exp: t + 3600, aud: [], iss: 'https://app.example' },
    { sub: '1', exp: t + 3600, aud: [1], iss: 'https://app.example' },
    { sub: '1', exp: t + 3600, aud: 'other', iss: 'https://app.example' },
    { sub: '1', exp: t + 3600, aud: 'chat', iss: 'https://evil.example' },
    { sub: '1', exp: t + 3600, aud: 'chat', iss: ['https://app.example'] },
    { sub: '1', exp: t + 3600, aud: 'chat' },
    { sub: '1', exp: t - 3 },
    { sub: '1', exp: t - 60 },
    { sub: '1', exp: String(t + 3600) },
    { sub: '1', exp: null },
    { sub: '1', exp: 1e308 * 10 },
    { sub: '1' },
    { exp: t + 3600 },
    { sub: 1, exp: t + 3600 },
    { sub: '', exp: t + 3600 },
    { sub: null, exp: t + 3600 },
    { sub: '1', exp: t + 3600, nbf: t + 3 },
    { sub: '1', exp: t + 3600, nbf: t + 60 },
    { sub: '1', exp: t + 3600, nbf: 'soon' },
    { sub: '1', exp: t + 3600, iat: 'now' },
    { sub: '1', exp: t + 3600, iat: null },
    { sub: '1', exp: t + 3600, iat: t },
    { sub: '1', exp: t + 3600, site: 'a:b' },
    { sub: '1', exp: t + 3600, roles: 'admin' },
    { sub: '1', exp: t + 3600, __proto__: { polluted: true } },
    [{ sub: '1', exp: t + 3600 }],
    'sub',
    null,
  ];
  // Claims text that JSON.stringify cannot produce: bytes that are not UTF-8, a BOM, spaces.
  const rawPayloads: Buffer[] = [
    Buffer.concat([
      Buffer.from(`{"sub":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`","exp":${t + 3600}}`),
    ]),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"sub":"1","exp":${t + 3600}}`)]),
    Buffer.from(` {"sub":"1","exp":${t + 3600}} `),
    Buffer.from(`{"sub":"1","exp":${t + 3600},"sub":"2"}`),
    Buffer.from(`{"__proto__":{"x":1},"sub":"1","exp":${t + 3600}}`),
    Buffer.from(`{"sub":"1","exp":${t + 3600}`),
  ];

  /** Every header with every claim set, each signed right, signed with another key, unsigned. */
  function resignedCorpus(): string[] {
    const tokens: string[] = [];
    for (const header of headers) {
      const alg = (header as { alg?: unknown } | null)?.alg;
      const algName = typeof alg === 'string' ? alg : 'HS256';
      for (const claims of claimSets) {
        const h = json(header);
        const p = json(claims);
        tokens.push(sign(h, p, algName), sign(h, p, algName, OTHER_SECRET), `${h}.${p}.`);
      }
      for (const raw of rawPayloads) tokens.push(sign(json(header), segment(raw), algName));
    }
    return tokens;
  }

  /** Valid tokens with one character replaced, deleted or inserted, or a segment changed. */
  function mutatedCorpus(seed: number, count: number): string[] {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const alphabet = [
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
      ...'.=+/ \n\té\u0000',
    ];
    const valid = [
      sign(
        json({ alg: 'HS256', typ: 'JWT' }),
        json({ sub: '1', exp: t + 3600, aud: 'chat', iss: 'https://app.example' }),
      ),
      sign(
        json({ alg: 'HS512' }),
        json({ sub: 'u', exp: t + 3600, aud: ['web'], iss: 'https://app.example', site: 's' }),
        'HS512',
      ),
      sign(json({ alg: 'HS256' }), json({ sub: '7', exp: t + 3600 })),
    ];
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const token = pick(valid);
      const at = Math.floor(next() * token.length);
      switch (Math.floor(next() * 6)) {
        case 0:
          tokens.push(token.slice(0, at) + pick(alphabet) + token.slice(at + 1));
          break;
        case 1:
          tokens.push(token.slice(0, at) + token.slice(at + 1));
          break;
        case 2:
          tokens.push(token.slice(0, at) + pick(alphabet) + token.slice(at));
          break;
        case 3:
          tokens.push(`${token}${pick(['=', '==', '.', '.x', ' ', 'A', 'AA'])}`);
          break;
        case 4: {
          // The signature's last character with other unused bits: non-canonical base64url.
          const last = token.at(-1) as string;
          tokens.push(token.slice(0, -1) + pick(alphabet.slice(0, 64).filter((c) => c !== last)));
          break;
        }
        default: {
          const [h, p, s] = token.split('.') as [string, string, string];
          tokens.push(
            pick([
              `${h}.${p}`,
              `${h}.${p}.${s}.${s}`,
              `.${p}.${s}`,
              `${h}..${s}`,
              `${p}.${h}.${s}`,
            ]),
          );
        }
      }
    }
    return tokens;
  }

  it.each([
    ['HS256 only, no aud or iss check, 5 s tolerance', plainConfig],
    ['HS256/384/512, aud and iss checked, no tolerance', strictConfig],
  ])('re-signed headers and claims: %s', async (_label, config) => {
    const corpus = resignedCorpus();
    const result = await compare(createTokenVerifier(config), corpus);
    expect(result.fastOnly).toEqual([]);
    // The corpus reaches both sides: some tokens pass (so the fast path was compared on
    // acceptances), most are refused.
    expect(result.fastAccepted).toBeGreaterThanOrEqual(8);
    expect(result.slowAccepted).toBeGreaterThanOrEqual(result.fastAccepted);
    expect(result.slowAccepted).toBeLessThan(corpus.length / 4);
  });

  it.each([
    ['HS256 only, no aud or iss check, 5 s tolerance', plainConfig, 1],
    ['HS256/384/512, aud and iss checked, no tolerance', strictConfig, 2],
  ])('4,000 mutated tokens: %s', async (_label, config, seed) => {
    const corpus = mutatedCorpus(seed, 4_000);
    const result = await compare(createTokenVerifier(config), corpus);
    expect(result.fastOnly).toEqual([]);
    expect(result.fastAccepted).toBeGreaterThan(0);
  });

  it('refuses nothing jose would word: a refusal still comes from jose, with its code', async () => {
    const verifier = createTokenVerifier(plainConfig);
    const expired = sign(json({ alg: 'HS256' }), json({ sub: '1', exp: now() - 60 }));
    expect(verifier.verifyNow(expired)).toBe(undefined);
    await expect(verifier.verify(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const forged = sign(
      json({ alg: 'HS256' }),
      json({ sub: '1', exp: now() + 60 }),
      'HS256',
      OTHER_SECRET,
    );
    expect(verifier.verifyNow(forged)).toBe(undefined);
    await expect(verifier.verify(forged)).rejects.toThrow(/signature does not verify/);
  });
});
