import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_TABLE_MARKER,
  renderConfigTableMarkdown,
} from '../src/config/config-table-markdown.js';
import {
  CONFIG_VARIABLES,
  type ConfigVariable,
  describeDefault,
} from '../src/config/config-variables.js';
import { parseConfig } from '../src/config/parse-config.js';
import { parseRedisTarget } from '../src/redis/redis-target.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const SECRET = 'a-secret-that-must-never-be-printed';

/** Runs the built gateway with exactly `env` (plus PATH) and returns how it ended. */
async function run(env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 10_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig({ POSTBODE_JWT_SECRET: SECRET });
    expect(config).toEqual({
      port: 3000,
      workers: 1,
      channel: 'postbode',
      stream: 'postbode:stream',
      eventsStream: 'postbode:events',
      nodeId: expect.stringMatching(/^[A-Za-z0-9._-]+:\d+:[0-9a-f]{6}$/),
      history: {
        retentionSeconds: 300,
        maxEntries: 100000,
        maxBytes: 268435456,
        recoveryMax: 1000,
      },
      presence: { graceSeconds: 10, ttlSeconds: 30, keyPrefix: 'postbode:presence' },
      jwt: {
        key: { kind: 'secret', secret: SECRET },
        algorithms: ['HS256'],
        anyAudience: false,
        clockToleranceSeconds: 30,
      },
      maxEnvelopeBytes: 1024 * 1024,
      maxSocketBufferBytes: 8 * 1024 * 1024,
      logLevel: 'info',
      limits: {
        maxSocketsPerUser: 20,
        maxConnectionsPerAddress: 1000,
        handshakesPerMinute: 600,
        authTimeoutMs: 10000,
      },
      redisCommandTimeoutMs: 2000,
      shutdown: { drainSeconds: 5, batchSize: 500 },
    });
  });

  it('reads every variable', () => {
    const config = parseConfig({
      POSTBODE_PORT: '8080',
      POSTBODE_HOST: '127.0.0.1',
      POSTBODE_REDIS_URL: 'redis://:pw@localhost:6380/2',
      POSTBODE_CHANNEL: 'chat',
      POSTBODE_STREAM: 'chat:stream',
      POSTBODE_EVENTS_STREAM: 'chat:events',
      POSTBODE_NODE_ID: 'gateway-1',
      POSTBODE_HISTORY_SECONDS: '60',
      POSTBODE_HISTORY_MAX_ENTRIES: '500',
      POSTBODE_HISTORY_MAX_BYTES: '1048576',
      POSTBODE_RECOVERY_MAX: '10',
      POSTBODE_PRESENCE_GRACE: '0',
      POSTBODE_PRESENCE_TTL: '5',
      POSTBODE_PRESENCE_PREFIX: '{p}:presence',
      POSTBODE_JWT_JWKS_URL: 'https://app.example/jwks.json',
      POSTBODE_JWT_ALGORITHMS: 'RS256, ES256',
      POSTBODE_JWT_AUDIENCE: 'chat,admin',
      POSTBODE_JWT_ISSUER: 'https://app.example',
      POSTBODE_JWT_CLOCK_TOLERANCE: '5',
      POSTBODE_CORS_ORIGINS: 'https://a.example,https://b.example',
      POSTBODE_PUBLISH_KEY: '0123456789abcdef',
      POSTBODE_MAX_ENVELOPE_BYTES: '65536',
      POSTBODE_MAX_SOCKET_BUFFER_BYTES: '1048576',
      POSTBODE_LOG_LEVEL: 'debug',
      POSTBODE_JWT_ANY_AUDIENCE: 'true',
      POSTBODE_MAX_SOCKETS_PER_USER: '5',
      POSTBODE_MAX_CONNECTIONS_PER_ADDRESS: '0',
      POSTBODE_HANDSHAKES_PER_MINUTE: '60',
      POSTBODE_TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
      POSTBODE_AUTH_TIMEOUT_MS: '5000',
      POSTBODE_REDIS_COMMAND_TIMEOUT_MS: '500',
      POSTBODE_SHUTDOWN_DRAIN_SECONDS: '0',
      POSTBODE_SHUTDOWN_BATCH_SIZE: '50',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      redisUrl: 'redis://:pw@localhost:6380/2',
      workers: 1,
      channel: 'chat',
      stream: 'chat:stream',
      eventsStream: 'chat:events',
      nodeId: 'gateway-1',
      history: { retentionSeconds: 60, maxEntries: 500, maxBytes: 1048576, recoveryMax: 10 },
      presence: { graceSeconds: 0, ttlSeconds: 5, keyPrefix: '{p}:presence' },
      jwt: {
        key: { kind: 'jwks', url: 'https://app.example/jwks.json' },
        algorithms: ['RS256', 'ES256'],
        audience: ['chat', 'admin'],
        issuer: ['https://app.example'],
        anyAudience: true,
        clockToleranceSeconds: 5,
      },
      corsOrigins: ['https://a.example', 'https://b.example'],
      publishKey: '0123456789abcdef',
      maxEnvelopeBytes: 65536,
      maxSocketBufferBytes: 1048576,
      logLevel: 'debug',
      limits: {
        maxSocketsPerUser: 5,
        maxConnectionsPerAddress: 0,
        handshakesPerMinute: 60,
        trustedProxyHeader: 'x-forwarded-for',
        authTimeoutMs: 5000,
      },
      redisCommandTimeoutMs: 500,
      shutdown: { drainSeconds: 0, batchSize: 50 },
    });
    expect(
      parseConfig({ POSTBODE_JWT_SECRET: SECRET, POSTBODE_CORS_ORIGINS: '*' }).corsOrigins,
    ).toBe('*');
  });

  it('treats empty values as unset', () => {
    expect(
      parseConfig({ POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: '', POSTBODE_PORT: '' }).port,
    ).toBe(3000);
  });

  it.each([
    [{}, /^POSTBODE_JWT_SECRET is required/],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_JWKS_URL: 'https://x/jwks' },
      /^POSTBODE_JWT_SECRET and POSTBODE_JWT_JWKS_URL conflict/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_PORT: 'eighty' },
      /^POSTBODE_PORT must be an integer from 0 to 65535, got "eighty"/,
    ],
    [{ POSTBODE_JWT_SECRET: SECRET, POSTBODE_PORT: '70000' }, /^POSTBODE_PORT must be/],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: 'localhost:6379' },
      /^POSTBODE_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL, redis\+sentinel:\/\/host:port\[,host:port...\]\/<master name>, or redis\+cluster:\/\/host:port\[,host:port...\]$/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: 'redis+sentinel://127.0.0.1:26379' },
      /^POSTBODE_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL, redis\+sentinel/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: 'redis+cluster://127.0.0.1:7000/2' },
      /^POSTBODE_REDIS_URL must be/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: 'redis+cluster://127.0.0.1:7000' },
      /^POSTBODE_STREAM must be a key with a hash tag in Redis Cluster \(for example \{postbode\}:stream\)/,
    ],
    [
      {
        POSTBODE_JWT_SECRET: SECRET,
        POSTBODE_REDIS_URL: 'redis+cluster://127.0.0.1:7000',
        POSTBODE_STREAM: '{postbode}:stream',
      },
      /^POSTBODE_PRESENCE_PREFIX must be a prefix with a hash tag in Redis Cluster/,
    ],
    [
      {
        POSTBODE_JWT_SECRET: SECRET,
        POSTBODE_REDIS_URL: 'redis+cluster://127.0.0.1:7000',
        POSTBODE_STREAM: '{postbode}:stream',
        POSTBODE_PRESENCE_PREFIX: '{postbode}:presence',
      },
      /^POSTBODE_EVENTS_STREAM must be a key with the hash tag of POSTBODE_PRESENCE_PREFIX in Redis Cluster \(for example \{postbode\}:events\)/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_ALGORITHMS: 'RS256' },
      /^POSTBODE_JWT_ALGORITHMS must be HS256, HS384 or HS512 with POSTBODE_JWT_SECRET/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_ALGORITHMS: 'none' },
      /^POSTBODE_JWT_ALGORITHMS must be a comma-separated list/,
    ],
    [
      { POSTBODE_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----' },
      /^POSTBODE_JWT_PUBLIC_KEY must be a PEM public key that can be read/,
    ],
    [
      { POSTBODE_JWT_PUBLIC_KEY: 'ssh-rsa AAAA' },
      /^POSTBODE_JWT_PUBLIC_KEY must be a PEM public key/,
    ],
    [{ POSTBODE_JWT_JWKS_URL: 'ftp://x' }, /^POSTBODE_JWT_JWKS_URL must be an https:\/\/ URL/],
    // Keys over plain http can be swapped on the way: https only, except on loopback.
    [
      { POSTBODE_JWT_JWKS_URL: 'http://idp.example/jwks.json', POSTBODE_JWT_AUDIENCE: 'chat' },
      /^POSTBODE_JWT_JWKS_URL must be an https:\/\/ URL \(http:\/\/ only on loopback\), got "http:\/\/idp.example\/jwks.json"$/,
    ],
    // A shared identity provider signs tokens for other services too.
    [
      { POSTBODE_JWT_JWKS_URL: 'https://idp.example/jwks.json' },
      /^POSTBODE_JWT_AUDIENCE or POSTBODE_JWT_ISSUER is required with POSTBODE_JWT_JWKS_URL: .*POSTBODE_JWT_ANY_AUDIENCE=true/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_ANY_AUDIENCE: 'yes' },
      /^POSTBODE_JWT_ANY_AUDIENCE must be true or false/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_AUTH_TIMEOUT_MS: '10' },
      /^POSTBODE_AUTH_TIMEOUT_MS must be a whole number of ms, at least 1000/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_TRUSTED_PROXY_HEADER: 'x forwarded' },
      /^POSTBODE_TRUSTED_PROXY_HEADER must be an HTTP header name/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_CORS_ORIGINS: 'chat.example' },
      /^POSTBODE_CORS_ORIGINS must be \* or a comma-separated list/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_PUBLISH_KEY: 'short' },
      /^POSTBODE_PUBLISH_KEY must be a key of at least 16 characters$/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_LOG_LEVEL: 'loud' },
      /^POSTBODE_LOG_LEVEL must be fatal, error, warn, info, debug, trace, silent, got "loud"/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_MAX_ENVELOPE_BYTES: '10' },
      /^POSTBODE_MAX_ENVELOPE_BYTES must be a whole number of bytes, at least 1024/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_HISTORY_SECONDS: '0' },
      /^POSTBODE_HISTORY_SECONDS must be a whole number of seconds, at least 1, got "0"/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_PRESENCE_TTL: '0' },
      /^POSTBODE_PRESENCE_TTL must be a whole number of seconds, at least 1, got "0"/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_PRESENCE_GRACE: '-1' },
      /^POSTBODE_PRESENCE_GRACE must be a whole number of seconds, got "-1"/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_RECOVERY_MAX: 'many' },
      /^POSTBODE_RECOVERY_MAX must be a whole number, at least 1, got "many"/,
    ],
    [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_CLOCK_TOLERANCE: '-1' },
      /^POSTBODE_JWT_CLOCK_TOLERANCE must be a whole number of seconds/,
    ],
    // Issue 18: the same policy as the PHP TokenIssuer, counted in bytes (31 here).
    [
      { POSTBODE_JWT_SECRET: 'x'.repeat(31) },
      /^POSTBODE_JWT_SECRET must be at least 32 bytes long/,
    ],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
    try {
      parseConfig(env);
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_CONFIG');
    }
  });

  it('takes an HS256 secret of 32 bytes, counted in bytes as PHP counts them', () => {
    // 11 × 'é' (2 bytes each) + 10 × 'x': 32 bytes in 21 characters.
    const secret = `${'é'.repeat(11)}${'x'.repeat(10)}`;
    expect(parseConfig({ POSTBODE_JWT_SECRET: secret }).jwt.key).toEqual({
      kind: 'secret',
      secret,
    });
    expect(() => parseConfig({ POSTBODE_JWT_SECRET: secret.slice(1) })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('reads Sentinel and Cluster URLs, and accepts hash-tagged keys in Redis Cluster', () => {
    const sentinel = parseConfig({
      POSTBODE_JWT_SECRET: SECRET,
      POSTBODE_REDIS_URL: 'redis+sentinel://:pw@10.0.0.5:26379,10.0.0.6:26380/postbode/2',
    });
    expect(sentinel.redisUrl).toBe('redis+sentinel://:pw@10.0.0.5:26379,10.0.0.6:26380/postbode/2');
    expect(parseRedisTarget(sentinel.redisUrl as string)).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: '10.0.0.6', port: 26380 },
      ],
      name: 'postbode',
      db: 2,
      password: 'pw',
      tls: false,
    });
    expect(parseRedisTarget('rediss+cluster://u:p%40ss@[::1]:7000,h:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'h', port: 7001 },
      ],
      username: 'u',
      password: 'p@ss',
      tls: true,
    });
    const cluster = parseConfig({
      POSTBODE_JWT_SECRET: SECRET,
      POSTBODE_REDIS_URL: 'redis+cluster://127.0.0.1:7000',
      POSTBODE_STREAM: '{postbode}:stream',
      POSTBODE_EVENTS_STREAM: '{postbode-p}:events',
      POSTBODE_PRESENCE_PREFIX: '{postbode-p}:presence',
    });
    expect(cluster.presence.keyPrefix).toBe('{postbode-p}:presence');
    // The same keys need no tags on one Redis or with Sentinel.
    expect(() =>
      parseConfig({ POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: 'redis+sentinel://h:1/m' }),
    ).not.toThrow();
  });

  it('never echoes a secret value', () => {
    for (const env of [
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_PUBLISH_KEY: 'short-secret' },
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: `nope://user:${SECRET}@host` },
      { POSTBODE_JWT_SECRET: 'short-secret' },
      { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: `redis+sentinel://user:${SECRET}@host` },
    ]) {
      expect(() => parseConfig(env)).toThrow();
      try {
        parseConfig(env);
      } catch (error) {
        expect((error as Error).message).not.toContain('short-secret');
        expect((error as Error).message).not.toContain(SECRET);
      }
    }
  });
});

describe('postbode-gateway process', () => {
  it('refuses to start with a JWKS and no audience or issuer, in one clear line', async () => {
    const { code, stderr, stdout } = await run({
      POSTBODE_JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^postbode-gateway: POSTBODE_JWT_AUDIENCE or POSTBODE_JWT_ISSUER is required with POSTBODE_JWT_JWKS_URL/,
    );
  });

  it('exits 1 with one line naming the variable on a missing secret', async () => {
    const { code, stderr, stdout } = await run({});
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^postbode-gateway: POSTBODE_JWT_SECRET is required/);
  });

  it('exits 1 on a malformed number, a malformed URL and conflicting keys, never printing a secret', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ POSTBODE_JWT_SECRET: SECRET, POSTBODE_PORT: 'x' }, /POSTBODE_PORT must be an integer/],
      [
        { POSTBODE_JWT_SECRET: SECRET, POSTBODE_REDIS_URL: `http://u:${SECRET}@h` },
        /POSTBODE_REDIS_URL must be a redis/,
      ],
      [
        { POSTBODE_JWT_SECRET: SECRET, POSTBODE_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' },
        /conflict/,
      ],
    ];
    for (const [env, message] of cases) {
      const { code, stderr } = await run(env);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain(SECRET);
    }
  });

  it('exits 1 with one line when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const { code, stderr } = await run({
        POSTBODE_JWT_SECRET: SECRET,
        POSTBODE_PORT: String(port),
        POSTBODE_HOST: '127.0.0.1',
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^postbode-gateway: could not start: .*EADDRINUSE/);
    } finally {
      server.close();
    }
  });

  it('--help lists every variable with its default', async () => {
    const { code, stdout } = await run({}, ['--help']);
    expect(code).toBe(0);
    for (const variable of CONFIG_VARIABLES) {
      expect(stdout).toContain(variable.name);
      expect(stdout).toContain(`default: ${describeDefault(variable).replace(/`/g, '')}`);
    }
  });
});

describe('the README configuration table', () => {
  it('is what CONFIG_VARIABLES renders (pnpm generate writes it)', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const begin = `<!-- begin:${CONFIG_TABLE_MARKER} -->\n`;
    const start = readme.indexOf(begin) + begin.length;
    const end = readme.indexOf(`<!-- end:${CONFIG_TABLE_MARKER} -->`);
    expect(start).toBeGreaterThan(begin.length);
    expect(readme.slice(start, end)).toBe(renderConfigTableMarkdown());
  });

  it('lists every variable, its default and an example', () => {
    const table = renderConfigTableMarkdown();
    for (const variable of CONFIG_VARIABLES as readonly ConfigVariable[]) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${variable.name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(variable.default === undefined ? 'unset: ' : `\`${variable.default}\``);
      expect(row).toContain(variable.example);
    }
  });
});
