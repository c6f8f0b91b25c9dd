import type { ChildProcess } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  collectOutput,
  getFreePort,
  type RedisServer,
  signTestToken,
  spawnProcessGroup,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NPM_CACHE, pack, sh, tempDir } from './support/outside.js';
import { example, readmeExamples, replaceOnce } from './support/readme-examples.js';

// Issue 18: the operator's commands of apps/gateway/README.md, run as they are written, from
// the packed tarballs installed with plain npm in a folder outside the workspace. Only the
// ports differ (a free one for the gateway, the test's redis-server).

const examples = readmeExamples('apps/gateway/README.md');
const SECRET = 'change-me-to-32-or-more-random-bytes';

describe('the gateway README, from the packed tarballs', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let redis: RedisServer;
  let port: number;
  let gateway: ChildProcess | undefined;
  let output: () => string = () => '';
  const env = () => ({ npm_config_cache: NPM_CACHE, npm_config_update_notifier: 'false' });

  beforeAll(async () => {
    temp = await tempDir('gateway');
    const packed = await tempDir('gateway-pack');
    try {
      const tarballs = await pack(['@postbode/protocol', '@postbode/gateway'], packed.dir);
      for (const file of Object.values(tarballs)) {
        await copyFile(file, join(temp.dir, basename(file)));
      }
    } finally {
      await packed.remove();
    }
    redis = await startRedis();
    port = await getFreePort();
  });
  afterAll(async () => {
    if (gateway !== undefined) await stopProcessGroup(gateway);
    await redis?.stop();
    await temp?.remove();
  });

  it('installs with npm, and --help lists every variable', async () => {
    const install = example(examples, 'sh:install').code;
    // The --prefer-offline cache of the test run; the commands are the README's.
    const { stdout } = await sh('bash', ['-euo', 'pipefail', '-c', install], {
      cwd: temp.dir,
      env: { ...env(), npm_config_prefer_offline: 'true' },
    });
    for (const name of ['POSTBODE_JWT_SECRET', 'POSTBODE_REDIS_URL', 'POSTBODE_PUBLISH_KEY']) {
      expect(stdout).toContain(name);
    }
    const installed = await sh('npm', ['ls', '--json', '--depth', '0'], { cwd: temp.dir });
    expect(Object.keys(JSON.parse(installed.stdout).dependencies).sort()).toEqual([
      '@postbode/gateway',
      '@postbode/protocol',
    ]);
  });

  it('starts with the environment, answers healthz, readyz and publish; a browser gets it', async () => {
    const start = replaceOnce(
      example(examples, 'sh:start').code,
      'redis://127.0.0.1:6379',
      redis.url,
    );
    gateway = spawnProcessGroup('bash', ['-c', start], {
      cwd: temp.dir,
      env: { ...process.env, ...env(), POSTBODE_PORT: String(port), POSTBODE_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = collectOutput(gateway);
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () => {
        if (gateway?.exitCode !== null) throw new Error(`the gateway exited:\n${output()}`);
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok === true;
      },
      { timeoutMs: 30_000, description: 'the gateway started from the README to be ready' },
    );

    // A browser of site nl, with a token the backend signed with the README's secret.
    const token = await signTestToken({ sub: '42', site: 'nl' }, { key: SECRET });
    const socket: Socket = io(url, { auth: { token }, transports: ['websocket'] });
    try {
      const announced = new Promise<{ text: string }>((resolve) =>
        socket.on('system.announcement', resolve),
      );
      await new Promise<void>((resolve, reject) => {
        socket.on('postbode:sync', () => resolve());
        socket.on('connect_error', reject);
      });

      const check = example(examples, 'sh:check').code.replaceAll(
        '127.0.0.1:3000',
        `127.0.0.1:${port}`,
      );
      const { stdout } = await sh('bash', ['-euo', 'pipefail', '-c', check], { cwd: temp.dir });
      const answers = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
      expect(answers).toHaveLength(4);
      expect(answers[0]).toEqual({ status: 'ok' });
      expect(answers[1]).toMatchObject({ status: 'ready', bus: 'subscribed' });
      expect(answers[2]).toMatchObject({ ok: true, id: expect.any(String) });
      expect(answers[3]).toMatchObject({
        ok: false,
        error: { code: 'INVALID_JSON', message: expect.any(String), path: '/' },
      });
      expect(await announced).toMatchObject({ text: 'Maintenance at 22:00', level: 'info' });
    } finally {
      socket.disconnect();
    }
  });
});
