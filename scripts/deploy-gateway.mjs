#!/usr/bin/env node
// `pnpm deploy:gateway <dir>`: `pnpm --filter @postbode/gateway --prod deploy <dir>`, then the
// deployed package.json gets real versions. pnpm 10's deploy (injected workspace packages) writes
// a workspace dependency as `file:<the build machine's path>` (pnpm/pnpm#6269, #9800); the
// folder runs either way, but `npm install` in it, or reading its manifest, would be wrong. Each
// such specifier becomes the version of the package copied into `<dir>/node_modules`, as
// `pnpm pack` would write it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const target = process.argv[2];
if (target === undefined || target.startsWith('-')) {
  process.stderr.write('usage: pnpm deploy:gateway <dir>\n');
  process.exit(2);
}
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm to where it was run; not a turbo task
const dir = resolve(process.env.INIT_CWD ?? process.cwd(), target);
execFileSync('pnpm', ['--filter', '@postbode/gateway', '--prod', 'deploy', dir], {
  stdio: 'inherit',
});
const manifestFile = join(dir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const rewritten = [];
for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
  for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
    // `file:/…`, `@postbode/protocol@file:///…`, `link:…`, `workspace:*`
    if (!/(?:^|@)(?:file|link|workspace):/.test(spec)) continue;
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'),
    );
    manifest[field][name] = installed.version;
    rewritten.push(`${name} ${installed.version}`);
  }
}
writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(
  `deploy:gateway: ${dir}${rewritten.length > 0 ? ` (versions written for ${rewritten.join(', ')})` : ''}\n`,
);
