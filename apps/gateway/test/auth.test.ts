import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConnectRefusal,
  connectSocket,
  signTestToken,
  TEST_JWT_SECRET,
  waitForEvent,
} from '@postbode/testkit';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetric, startTestGateway, type TestGateway } from './support.js';

/** Connects with `token` and returns the refusal (fails the test if it connects). */
async function refusal(url: string, token: string | undefined): Promise<ConnectRefusal> {
  try {
    const socket = await connectSocket(url, token === undefined ? {} : { token });
    socket.disconnect();
  } catch (error) {
    return error as ConnectRefusal;
  }
  throw new Error('expected the connection to be refused');
}

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 token with extra protected-header fields. */
const signWithHeader = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', ...header })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));

describe('HS256 (POSTBODE_JWT_SECRET)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      POSTBODE_JWT_AUDIENCE: 'chat',
      POSTBODE_JWT_ISSUER: 'https://app.example',
    });
  });
  afterAll(() => gw.close());
  const good = { sub: '1', aud: 'chat', iss: 'https://app.example' };

  it('accepts a valid token', async () => {
    const socket = await connectSocket(gw.url, { token: await signTestToken(good) });
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });

  it.each([
    ['no token', async () => undefined, 'UNAUTHORIZED', /no token/],
    ['a malformed token', async () => 'not-a-jwt', 'UNAUTHORIZED', /malformed/],
    [
      'a wrong key',
      () => signTestToken(good, { key: 'another-secret-another-secret!!' }),
      'UNAUTHORIZED',
      /signature/,
    ],
    [
      'an expired token',
      () => signTestToken(good, { expiresInSeconds: -120 }),
      'TOKEN_EXPIRED',
      /expired/,
    ],
    ['a wrong audience', () => signTestToken({ ...good, aud: 'other' }), 'UNAUTHORIZED', /aud/],
    [
      'a wrong issuer',
      () => signTestToken({ ...good, iss: 'https://evil.example' }),
      'UNAUTHORIZED',
      /iss/,
    ],
    [
      'a disallowed algorithm (HS512)',
      () => signTestToken(good, { alg: 'HS512' }),
      'UNAUTHORIZED',
      /algorithm "HS512" is not allowed/,
    ],
    [
      'alg: none',
      async () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...good, exp: 4_000_000_000 })}.`,
      'UNAUTHORIZED',
      /not allowed|malformed|not valid/,
    ],
    [
      'no sub',
      () => signTestToken({ aud: 'chat', iss: 'https://app.example' }),
      'UNAUTHORIZED',
      /sub/,
    ],
    [
      'a site that is not a site name',
      () => signTestToken({ ...good, site: 'a:b' }),
      'UNAUTHORIZED',
      /claim \/site/,
    ],
    [
      'roles that are not a list',
      () => signTestToken({ ...good, roles: 'admin' }),
      'UNAUTHORIZED',
      /claim \/roles/,
    ],
    [
      'a token of another type (typ: id+jwt)',
      () => signWithHeader({ typ: 'id+jwt' }, good),
      'UNAUTHORIZED',
      /token type "id\+jwt" is not accepted; expected JWT or at\+jwt/,
    ],
  ])('refuses %s with connect_error data.code', async (_label, makeToken, code, message) => {
    const token = await makeToken();
    const error = await refusal(gw.url, token);
    expect(error.data?.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.data?.message).toBe(error.message);
    if (token !== undefined && token.length > 10) expect(error.message).not.toContain(token);
  });

  it('accepts typ JWT and at+jwt (any case), and no typ', async () => {
    for (const typ of ['JWT', 'at+jwt', 'application/AT+JWT']) {
      const socket = await connectSocket(gw.url, { token: await signWithHeader({ typ }, good) });
      expect(socket.connected).toBe(true);
      socket.disconnect();
    }
  });

  it('repeats a 5 kB alg header cut to 128 characters, in the refusal and the log', async () => {
    const alg = 'A'.repeat(5000);
    const token = `${base64url({ alg, typ: 'JWT' })}.${base64url({ ...good, exp: 4_000_000_000 })}.c2ln`;
    const error = await refusal(gw.url, token);
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain(`"${'A'.repeat(128)}…"`);
    expect(error.message.length).toBeLessThan(400);
    const line = gw.logs.find((entry) => String(entry.msg).includes('A'.repeat(128)));
    expect(line).toBeDefined();
    expect(JSON.stringify(line).length).toBeLessThan(800);
    expect(gw.logs.some((entry) => JSON.stringify(entry).includes('A'.repeat(129)))).toBe(false);
  });

  it('counts refusals by code in /metrics', async () => {
    await refusal(gw.url, 'garbage');
    expect(
      await readMetric(gw.url, 'postbode_auth_refusals_total', { code: 'UNAUTHORIZED' }),
    ).toBeGreaterThan(0);
  });

  it('keeps serving others after refusals', async () => {
    await refusal(gw.url, 'garbage');
    const socket = await connectSocket(gw.url, { token: await signTestToken(good) });
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});

describe('several HMAC algorithms (POSTBODE_JWT_ALGORITHMS=HS256,HS512)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_JWT_ALGORITHMS: 'HS256,HS512' });
  });
  afterAll(() => gw.close());

  it('verifies each algorithm with its own key, many times over, and still refuses a wrong secret', async () => {
    // The secret is imported once per algorithm and reused: every token of either algorithm,
    // interleaved, must still verify; one signed with another secret must not.
    const sockets = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        connectSocket(gw.url, {
          token: await signTestToken({ sub: String(i) }, { alg: i % 2 === 0 ? 'HS256' : 'HS512' }),
        }),
      ),
    );
    expect(sockets.filter((socket) => socket.connected)).toHaveLength(20);
    for (const socket of sockets) socket.disconnect();
    for (const alg of ['HS256', 'HS512']) {
      const forged = await signTestToken(
        { sub: '1' },
        { alg, key: 'another-secret-another-secret-another!' },
      );
      const error = await refusal(gw.url, forged);
      expect(error.data?.code).toBe('UNAUTHORIZED');
      expect(error.message).toMatch(/signature does not verify/);
    }
  });
});

describe('token expiry while connected', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ POSTBODE_JWT_CLOCK_TOLERANCE: '0' });
  });
  afterAll(() => gw.close());

  it('emits postbode:error TOKEN_EXPIRED, then disconnects the socket', async () => {
    const token = await signTestToken({ sub: '1' }, { expiresInSeconds: 2 });
    const socket = await connectSocket(gw.url, { token });
    const order: string[] = [];
    const error = waitForEvent(socket, 'postbode:error');
    socket.on('postbode:error', () => order.push('postbode:error'));
    const disconnected = waitForEvent<[string]>(socket, 'disconnect');
    socket.on('disconnect', () => order.push('disconnect'));
    expect((await error)[0]).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect((await disconnected)[0]).toBe('io server disconnect');
    expect(order).toEqual(['postbode:error', 'disconnect']);
  });

  it('does not disconnect a socket whose token is still valid', async () => {
    // Two seconds, not one: `exp` is whole seconds from a rounded-down now, so a token "valid
    // for one second" may have a few milliseconds left, and with no clock tolerance be expired
    // by the handshake (it failed so once in CI).
    const short = await connectSocket(gw.url, {
      token: await signTestToken({ sub: '1' }, { expiresInSeconds: 2 }),
    });
    const long = await connectSocket(gw.url, { token: await signTestToken({ sub: '2' }) });
    await waitForEvent(short, 'disconnect');
    expect(long.connected).toBe(true);
    long.disconnect();
  });

  it('expires each of many sockets once, within a second of its exp, and forgets those that left', async () => {
    // One timer wheel for every socket: sockets expiring in the same second, in different
    // seconds, and one that disconnects before its token expires. At least two seconds ahead:
    // `exp` is whole seconds, so one second ahead may be a few milliseconds, already past by the
    // handshake with no clock tolerance.
    const expiring = await Promise.all(
      [2, 2, 3, 3, 4].map(async (seconds, i) => {
        const exp = Math.floor(Date.now() / 1000) + seconds;
        const socket = await connectSocket(gw.url, {
          token: await signTestToken({ sub: `w${i}`, exp }),
        });
        const errors: unknown[] = [];
        socket.on('postbode:error', (error: unknown) => errors.push(error));
        return { socket, exp, errors };
      }),
    );
    const leaver = await connectSocket(gw.url, {
      token: await signTestToken({ sub: 'leaver' }, { expiresInSeconds: 2 }),
    });
    leaver.disconnect();
    const disconnectedAt = await Promise.all(
      expiring.map(async ({ socket }) => {
        await waitForEvent(socket, 'disconnect', 10_000);
        return Date.now();
      }),
    );
    expiring.forEach(({ exp, errors }, i) => {
      expect(errors).toEqual([expect.objectContaining({ code: 'TOKEN_EXPIRED' })]);
      // Never before exp (tolerance 0 here); bounded after it (a tick, plus a loaded machine).
      expect(disconnectedAt[i]).toBeGreaterThanOrEqual(exp * 1000);
      expect(disconnectedAt[i]).toBeLessThan(exp * 1000 + 5_000);
    });
  });
});

describe('RS256 through a JWKS URL', () => {
  let jwks: Server;
  let gw: TestGateway;
  let privateKey: CryptoKey;
  let fetches = 0;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    // Loopback may serve the JWKS over http; an audience is required with a JWKS.
    gw = await startTestGateway({
      POSTBODE_JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      POSTBODE_JWT_AUDIENCE: 'chat',
    });
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts tokens signed by a key in the set, fetching the set once', async () => {
    for (const sub of ['1', '2', '3']) {
      const token = await signTestToken(
        { sub, aud: 'chat' },
        { key: privateKey, alg: 'RS256', kid: 'key-1' },
      );
      const socket = await connectSocket(gw.url, { token });
      expect(socket.connected).toBe(true);
      socket.disconnect();
    }
    expect(fetches).toBe(1);
  });

  it('refuses a token signed by another key, and an HS256 token', async () => {
    const other = await generateKeyPair('RS256');
    const wrong = await signTestToken(
      { sub: '1' },
      { key: other.privateKey, alg: 'RS256', kid: 'key-1' },
    );
    expect((await refusal(gw.url, wrong)).data?.code).toBe('UNAUTHORIZED');
    const hs = await signTestToken({ sub: '1' }, { key: TEST_JWT_SECRET });
    expect((await refusal(gw.url, hs)).message).toMatch(/algorithm "HS256" is not allowed/);
  });

  it('refuses a token the same provider signed for another service (its aud)', async () => {
    const elsewhere = await signTestToken(
      { sub: '1', aud: 'billing' },
      { key: privateKey, alg: 'RS256', kid: 'key-1' },
    );
    const error = await refusal(gw.url, elsewhere);
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/aud/);
  });
});

describe('ES256 with a PEM public key (POSTBODE_JWT_PUBLIC_KEY)', () => {
  it('accepts ES256 tokens; "\\n"-escaped PEM works', async () => {
    const pair = await generateKeyPair('ES256');
    const pem = (await exportSPKI(pair.publicKey)).trim().replace(/\n/g, '\\n');
    // Any audience, on purpose (the explicit opt-out).
    const gw = await startTestGateway({
      POSTBODE_JWT_PUBLIC_KEY: pem,
      POSTBODE_JWT_ANY_AUDIENCE: 'true',
    });
    try {
      const token = await new SignJWT({ sub: '5' })
        .setProtectedHeader({ alg: 'ES256' })
        .setExpirationTime('1h')
        .sign(pair.privateKey);
      const socket = await connectSocket(gw.url, { token });
      expect(socket.connected).toBe(true);
      socket.disconnect();
      const forged = await signTestToken(
        { sub: '5' },
        { key: (await generateKeyPair('ES256')).privateKey, alg: 'ES256' },
      );
      expect((await refusal(gw.url, forged)).data?.code).toBe('UNAUTHORIZED');
    } finally {
      await gw.close();
    }
  });
});
