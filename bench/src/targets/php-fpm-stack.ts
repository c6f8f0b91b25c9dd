import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  collectOutput,
  getFreePort,
  processTree,
  spawnProcessGroup,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { pinToCpu } from '../pin.js';

/** Options of {@link startPhpFpmStack}. */
export interface PhpFpmStackOptions {
  /** The front controller every request runs (`SCRIPT_FILENAME`). */
  script: string;
  /**
   * Other scripts, by exact path (`location = <path>`).
   * @default {}
   */
  locations?: Record<string, string>;
  /** Environment of the PHP workers (php-fpm runs with `clear_env = no`). */
  env: Record<string, string>;
  /**
   * Workers of the static pool.
   * @default 4
   */
  workers?: number;
  /** Pin php-fpm (master and workers) and nginx to this core; undefined: not pinned. */
  cpu?: number;
}

/** A running nginx in front of a php-fpm pool. */
export interface PhpFpmStack {
  /** `http://127.0.0.1:<port>` (nginx). */
  readonly url: string;
  /** php-fpm's master and workers, nginx's master and workers. */
  phpPids(): number[];
  nginxPids(): number[];
  stop(): Promise<void>;
}

/** Debian's php-fpm binary (`php-fpm8.2`, …), or undefined when the package is missing. */
export function findPhpFpm(): string | undefined {
  const names = existsSync('/usr/sbin') ? readdirSync('/usr/sbin') : [];
  const name = names.filter((n) => /^php-fpm\d+(\.\d+)?$/.test(n)).sort()[0];
  return name === undefined ? undefined : join('/usr/sbin', name);
}

/** Debian's nginx, or undefined when the package is missing. */
export function findNginx(): string | undefined {
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined;
}

/** Why the legacy HTTP stack cannot run here, or undefined when it can. */
export function phpFpmStackMissing(): string | undefined {
  const missing = [
    ...(findPhpFpm() === undefined ? ['php-fpm'] : []),
    ...(findNginx() === undefined ? ['nginx'] : []),
  ];
  return missing.length === 0
    ? undefined
    : `the receipt-cost scenario needs ${missing.join(' and ')}; on Debian: apt-get install -y php-fpm nginx (scripts/bootstrap.sh)`;
}

const pidsOf = (child: ChildProcess): number[] =>
  child.pid === undefined ? [] : processTree(child.pid).map((info) => info.pid);

/**
 * Starts a legacy PHP application as it runs in production: Debian's php-fpm (a static pool,
 * `pm.max_children = workers`, on a unix socket) behind nginx (`fastcgi_pass`), both with
 * their own configuration, pid and log files in a temporary directory, in the foreground, run
 * as the current user, and stopped with everything they started. Debian's php.ini for FPM
 * applies (opcache on).
 */
export async function startPhpFpmStack(options: PhpFpmStackOptions): Promise<PhpFpmStack> {
  const phpFpm = findPhpFpm();
  const nginx = findNginx();
  if (phpFpm === undefined || nginx === undefined) throw new Error(phpFpmStackMissing());
  const dir = mkdtempSync(join(tmpdir(), 'postbode-php-fpm-'));
  const socket = join(dir, 'php-fpm.sock');
  const user = userInfo().username;
  const root = process.getuid?.() === 0;
  writeFileSync(
    join(dir, 'php-fpm.conf'),
    [
      '[global]',
      `pid = ${dir}/php-fpm.pid`,
      `error_log = ${dir}/php-fpm.log`,
      'daemonize = no',
      '[bench]',
      // Without root the pool runs as the user who started it; `user` is only allowed as root.
      ...(root ? [`user = ${user}`] : []),
      `listen = ${socket}`,
      'listen.mode = 0600',
      'pm = static',
      `pm.max_children = ${options.workers ?? 4}`,
      'clear_env = no',
      'catch_workers_output = yes',
      `php_admin_value[error_log] = ${dir}/php-errors.log`,
      '',
    ].join('\n'),
  );
  const port = await getFreePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process on;',
      'worker_processes 1;',
      ...(root ? [`user ${user};`] : []),
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/nginx-error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${dir}/body;`,
      `  fastcgi_temp_path ${dir}/fastcgi;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      '  keepalive_requests 100000;',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      ...Object.entries(options.locations ?? {}).flatMap(([path, script]) => [
        `    location = ${path} {`,
        '      include /etc/nginx/fastcgi_params;',
        `      fastcgi_param SCRIPT_FILENAME ${script};`,
        `      fastcgi_pass unix:${socket};`,
        '    }',
      ]),
      '    location / {',
      '      include /etc/nginx/fastcgi_params;',
      `      fastcgi_param SCRIPT_FILENAME ${options.script};`,
      `      fastcgi_pass unix:${socket};`,
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const env = { PATH: process.env.PATH ?? '', ...options.env };
  const fpm = spawnProcessGroup(
    phpFpm,
    ['--nodaemonize', '--fpm-config', join(dir, 'php-fpm.conf'), ...(root ? ['-R'] : [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const fpmOutput = collectOutput(fpm);
  const web = spawnProcessGroup(
    nginx,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'nginx-error.log')],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const webOutput = collectOutput(web);
  const workers = options.workers ?? 4;
  const stop = async (): Promise<void> => {
    await Promise.all([stopProcessGroup(web), stopProcessGroup(fpm)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      () => {
        for (const [name, child, text] of [
          ['php-fpm', fpm, fpmOutput],
          ['nginx', web, webOutput],
        ] as const) {
          if (child.exitCode !== null) {
            const log = [`${dir}/php-fpm.log`, `${dir}/nginx-error.log`]
              .filter(existsSync)
              .map((file) => readFileSync(file, 'utf8'))
              .join('\n');
            throw new Error(`${name} exited with ${child.exitCode}:\n${text()}\n${log}`);
          }
        }
        // Master and every worker of the static pool, and nginx's master and worker.
        return existsSync(socket) && pidsOf(fpm).length >= workers + 1 && pidsOf(web).length >= 2;
      },
      { timeoutMs: 15_000, description: 'php-fpm and nginx to start' },
    );
    if (options.cpu !== undefined) {
      for (const pid of [...pidsOf(fpm), ...pidsOf(web)]) pinToCpu(pid, options.cpu);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    phpPids: () => pidsOf(fpm),
    nginxPids: () => pidsOf(web),
    stop,
  };
}
