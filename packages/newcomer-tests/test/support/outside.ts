import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './readme-examples.js';

const run = promisify(execFile);

/** The publishable packages: every workspace package that is not private. */
export const PUBLISHABLE = {
  '@postbode/protocol': 'packages/protocol',
  '@postbode/client-sdk': 'packages/client-sdk',
  '@postbode/gateway': 'apps/gateway',
  '@postbode/php-publisher': 'packages/php-publisher',
} as const;

export type PublishableName = keyof typeof PUBLISHABLE;

/**
 * npm's cache, kept between runs under the OS cache directory (not in the checkout), so that a
 * second run installs from it (`--prefer-offline`) instead of the registry.
 */
export const NPM_CACHE = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'postbode-newcomer',
  'npm',
);

/** A fresh directory outside the repository, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `postbode-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Packs packages as they would be published (`pnpm pack`: `workspace:` ranges become the real
 * versions) into `dir`; resolves with each package's tarball path. Needs a built workspace.
 */
export async function pack(
  names: readonly PublishableName[],
  dir: string,
): Promise<Record<string, string>> {
  const filters = names.flatMap((name) => ['--filter', name]);
  await run('pnpm', [...filters, 'pack', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = await readdir(dir);
  const tarballs: Record<string, string> = {};
  for (const name of names) {
    const prefix = `${name.slice(1).replace('/', '-')}-`;
    const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack made no tarball for ${name}`);
    tarballs[name] = join(dir, file);
  }
  return tarballs;
}

/** Runs a command, resolving with its output; rejects with the output when it fails. */
export async function sh(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeout?: number },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeout ?? 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }
}

/** `npm install` as a newcomer runs it, with the cache above and nothing extra. */
export async function npmInstall(cwd: string, args: string[] = []): Promise<void> {
  await mkdir(NPM_CACHE, { recursive: true });
  await sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', NPM_CACHE, ...args],
    { cwd, env: { npm_config_update_notifier: 'false' } },
  );
}
