#!/usr/bin/env node
// `pnpm demo` (Node backend, embedded bus) and `pnpm demo:php` (PHP backend, Redis).
import { DEMO_USERS } from './demo-data.js';
import { phpPrerequisitesMissing, startDemoStack } from './demo-stack.js';

const php = process.argv.includes('--php');
if (php) {
  const missing = phpPrerequisitesMissing();
  if (missing !== undefined) {
    process.stderr.write(`${missing}\n`);
    process.exit(1);
  }
}
const port = Number(process.env.DEMO_PORT ?? 8080);
const stack = await startDemoStack({ backend: php ? 'php' : 'node', port }).catch(
  (error: unknown) => {
    process.stderr.write(
      `demo: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);

const sites = [...new Set(DEMO_USERS.map((user) => user.site))].map(
  (site) =>
    `${site}: ${DEMO_USERS.filter((user) => user.site === site)
      .map((user) => `${user.name} (${user.id})`)
      .join(', ')}`,
);
process.stdout.write(
  [
    `Postbode demo: ${php ? 'PHP backend (generated Publisher over Redis)' : 'Node backend (gateway with its embedded bus)'}`,
    '',
    `  open   ${stack.url}`,
    `  users  ${sites.join('  |  ')}`,
    '',
    'Open it in two browser windows (or a private one), log in as two users of the same site and chat.',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
