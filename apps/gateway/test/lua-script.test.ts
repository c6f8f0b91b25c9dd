import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RedisServer, startRedis } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luaScript } from '../src/redis/lua-script.js';

// The gateway's Lua scripts (contracts 6 and 7) are called with EVALSHA, and sent as EVAL when
// Redis does not have them: on a fresh server, after SCRIPT FLUSH, after a restart.

let redis: RedisServer;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const scriptCalls = async (): Promise<{ evalsha: number; eval: number }> => {
  const info = await client.info('commandstats');
  const calls = (name: string) =>
    Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { evalsha: calls('evalsha'), eval: calls('eval') };
};

describe('luaScript', () => {
  it('runs on a server that never saw it (EVALSHA, then EVAL), then by EVALSHA alone', async () => {
    const script = luaScript("return { KEYS[1], ARGV[1], redis.call('INCR', KEYS[1]) }");
    await client.config('RESETSTAT');
    expect(await client.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(client, ['lua:a'], ['x'])).toEqual(['lua:a', 'x', 1]);
    expect(await client.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(client, ['lua:a'], ['y'])).toEqual(['lua:a', 'y', 2]);
    expect(await scriptCalls()).toEqual({ evalsha: 2, eval: 1 });
  });

  it('runs again after SCRIPT FLUSH and after a restart without data', async () => {
    const script = luaScript("return redis.call('INCR', KEYS[1])");
    expect(await script.run(client, ['lua:b'], [])).toBe(1);
    await client.script('FLUSH');
    expect(await script.run(client, ['lua:b'], [])).toBe(2);
    await redis.restart();
    const fresh = redis.client();
    try {
      expect(await script.run(fresh, ['lua:b'], [])).toBe(1);
    } finally {
      fresh.disconnect();
    }
  });

  it("passes the script's own error on, without running it a second time", async () => {
    const script = luaScript("redis.call('INCR', KEYS[1]); return redis.error_reply('boom')");
    await expect(script.run(client, ['lua:c'], [])).rejects.toThrow('boom');
    expect(await client.get('lua:c')).toBe('1');
    await expect(script.run(client, ['lua:c'], [])).rejects.toThrow('boom');
    expect(await client.get('lua:c')).toBe('2');
  });
});

describe('the gateway calls its scripts through lua-script.ts', () => {
  it("never through ioredis's defineCommand (whose per-call wrapper kept every call alive past a scavenge)", () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(50);
    const using = files.filter((file) =>
      /\.defineCommand\(/.test(readFileSync(join(src, file), 'utf8')),
    );
    expect(using).toEqual([]);
  });
});
