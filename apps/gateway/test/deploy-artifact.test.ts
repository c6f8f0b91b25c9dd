import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  collectOutput,
  type GatewayProcess,
  type RedisServer,
  spawnProcessGroup,
  startGatewayProcess,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../src/config/config-variables.js';
import { bodies, connectWithSync, messageTo } from './support.js';

// The deployable artifact (issue 14): `pnpm deploy:gateway <dir>` makes a self-contained
// folder; moved outside the workspace it runs with plain node. deploy/Dockerfile is built on
// that same command (checked below: building images is not possible on these machines).
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The command the README and deploy/Dockerfile give; its target folder is appended. */
const DEPLOY_SCRIPT = 'deploy:gateway';

let scratch: string;
let deployed: string;
let redis: RedisServer;
let gateway: GatewayProcess | undefined;
const sockets: Socket[] = [];

/** Runs `pnpm <args>` in the repository root; resolves with its output, rejects on failure. */
async function pnpm(args: string[]): Promise<string> {
  const child = spawnProcessGroup('pnpm', args, {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  try {
    await waitUntil(() => child.exitCode !== null, {
      timeoutMs: 180_000,
      description: `pnpm ${args.join(' ')}`,
    });
  } finally {
    await stopProcessGroup(child);
  }
  if (child.exitCode !== 0) throw new Error(`pnpm ${args.join(' ')} failed:\n${output()}`);
  return output();
}

/** Every symbolic link under `dir`, with where it resolves to. */
async function links(dir: string): Promise<Array<{ path: string; target: string }>> {
  const found: Array<{ path: string; target: string }> = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await lstat(path)).isSymbolicLink()) {
      found.push({ path, target: await realpath(path).catch(() => '(dangling)') });
    }
  }
  return found;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'postbode-deploy-'));
  // Deployed into one temporary folder, then moved to another: nothing may point back.
  await pnpm([DEPLOY_SCRIPT, join(scratch, 'made')]);
  deployed = join(scratch, 'elsewhere', 'postbode-gateway');
  await mkdir(join(scratch, 'elsewhere'));
  await rename(join(scratch, 'made'), deployed);
  redis = await startRedis();
}, 240_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await gateway?.stop();
  await redis?.stop();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('pnpm deploy:gateway <dir>', () => {
  it('makes a folder with real versions (no workspace: or file: specifier) and no link out of it', async () => {
    const manifest = JSON.parse(await readFile(join(deployed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
      bin: Record<string, string>;
    };
    const specs = Object.entries(manifest.dependencies);
    expect(specs.filter(([, spec]) => spec.startsWith('workspace:'))).toEqual([]);
    // Real versions, as `pnpm pack` writes them: no path of the build machine (pnpm's deploy
    // writes `file:` for an injected workspace package; scripts/deploy-gateway.mjs fixes it).
    expect(specs.filter(([, spec]) => /file:|link:/.test(spec))).toEqual([]);
    expect(manifest.dependencies['@postbode/protocol']).toMatch(/^\d+\.\d+\.\d+/);
    // Every runtime dependency is installed in the folder itself.
    for (const [name] of specs) {
      const installed = await realpath(join(deployed, 'node_modules', name));
      expect(relative(deployed, installed).startsWith('..')).toBe(false);
    }
    const outside = (await links(deployed)).filter(
      ({ target }) => target === '(dangling)' || relative(deployed, target).startsWith('..'),
    );
    expect(outside).toEqual([]);
    // --prod: no test tooling shipped.
    await expect(lstat(join(deployed, 'node_modules', '@postbode', 'testkit'))).rejects.toThrow();
    expect(manifest.bin['postbode-gateway']).toBe('./dist/main.js');
    // The bin runs by itself (shebang, executable bit), node found on PATH.
    const bin = spawnProcessGroup(join(deployed, 'dist', 'main.js'), ['--help'], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let help = '';
    let failed: Error | undefined;
    bin.on('error', (error) => {
      failed = error;
    });
    bin.stdout?.on('data', (chunk: Buffer) => {
      help += chunk.toString();
    });
    try {
      await waitUntil(() => bin.exitCode !== null || failed !== undefined, {
        description: 'postbode-gateway --help',
      });
    } finally {
      await stopProcessGroup(bin);
    }
    expect(failed?.message).toBeUndefined();
    expect(bin.exitCode).toBe(0);
    expect(help).toContain('POSTBODE_SHUTDOWN_DRAIN_SECONDS');
  });

  it('runs with plain node outside the workspace: /healthz, /readyz, and a message reaches a socket.io client (lost: 0 of 20)', async () => {
    gateway = await startGatewayProcess({
      entry: join(deployed, 'dist', 'main.js'),
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_LOG_LEVEL: 'info' },
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const { socket, events } = await connectWithSync(gateway.url, { sub: '42' });
    sockets.push(socket);
    const sent = Array.from({ length: 20 }, (_, i) => `deployed-${i}`);
    for (const body of sent) {
      await redis.publish('postbode', JSON.stringify(messageTo({ users: ['42'] }, body)));
    }
    await waitUntil(() => bodies(events).length >= sent.length, { description: '20 messages' });
    const lost = sent.filter((body) => !bodies(events).includes(body)).length;
    expect(`lost: ${lost} of ${sent.length}`).toBe(`lost: 0 of ${sent.length}`);
    // The process really ran from the moved folder.
    expect(gateway.output).toMatch(/postbode gateway listening/);
    expect(await gateway.stop()).toBe(0);
    gateway = undefined;
  });
});

describe('deploy/Dockerfile', () => {
  it('builds the image from the same deploy command and copies that folder into node:20-slim, non-root, with a HEALTHCHECK on /healthz', async () => {
    const text = await readFile(join(repoRoot, 'deploy', 'Dockerfile'), 'utf8');
    const lines = text
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const stages = lines.filter((line) => line.startsWith('FROM '));
    expect(stages).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      packageManager: string;
      scripts: Record<string, string>;
    };
    expect(lines).toContain(`RUN npm install -g ${root.packageManager}`);
    // The root script runs scripts/deploy-gateway.mjs, which runs pnpm's deploy of the gateway.
    expect(root.scripts[DEPLOY_SCRIPT]).toMatch(/ node scripts\/deploy-gateway\.mjs$/);
    const script = await readFile(join(repoRoot, 'scripts', 'deploy-gateway.mjs'), 'utf8');
    expect(script).toContain("['--filter', '@postbode/gateway', '--prod', 'deploy', dir]");
    const deploy = lines.find((line) => line.startsWith(`RUN pnpm ${DEPLOY_SCRIPT} `));
    const folder = deploy?.split(' ').at(-1);
    expect(folder).toMatch(/^\/\S+$/);
    const final = lines.slice(lines.indexOf('FROM node:20-slim'));
    expect(final).toContain(`COPY --from=build ${folder} ${folder}`);
    expect(final).toContain(`WORKDIR ${folder}`);
    const user = final.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)\b/);
    const port = CONFIG_VARIABLES.find((v) => v.name === 'POSTBODE_PORT')?.default;
    expect(final).toContain(`EXPOSE ${port}`);
    const healthcheck = final.find((line) => line.startsWith('HEALTHCHECK '));
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
    // The command it runs is the entry the test above started, relative to the folder.
    const cmd = JSON.parse(final.find((line) => line.startsWith('CMD '))?.slice(4) ?? '[]');
    expect(cmd[0]).toBe('node');
    expect((await lstat(join(deployed, cmd[1]))).isFile()).toBe(true);
  });
});

describe('deploy/systemd/postbode-gateway.service', () => {
  it('stops with SIGTERM and waits longer than the default drain plus the closing', async () => {
    const unit = await readFile(
      join(repoRoot, 'deploy', 'systemd', 'postbode-gateway.service'),
      'utf8',
    );
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    expect(value('KillSignal')).toBe('SIGTERM');
    expect(value('EnvironmentFile')).toBeDefined();
    expect(value('Restart')).toBe('on-failure');
    const drain = Number(
      CONFIG_VARIABLES.find((v) => v.name === 'POSTBODE_SHUTDOWN_DRAIN_SECONDS')?.default,
    );
    // The closing takes at most the gateway's shutdown timeout (5 s).
    expect(Number(value('TimeoutStopSec'))).toBeGreaterThan(drain + 5);
    expect(value('ExecStart')).toMatch(/node \S+\/dist\/main\.js$/);
  });
});
