#!/usr/bin/env node
// `pnpm demo` (Node backend) and `pnpm demo:php` (PHP backend), both on a Redis of their own.
import { DEMO_USERS } from './demo-data.js';
import { nodePrerequisitesMissing, phpPrerequisitesMissing, startDemoStack } from './demo-stack.js';

// `pnpm demo:php` runs this under `sh -c`; pnpm passes a SIGTERM on to that shell alone, which
// dies and leaves this process to init. Its parent is read before anything is awaited: read
// after start-up, it would already be init when the shell died meanwhile, and never change.
const parent = process.ppid;

const php = process.argv.includes('--php');
const missing = php ? phpPrerequisitesMissing() : nodePrerequisitesMissing();
if (missing !== undefined) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}
const port = Number(process.env.DEMO_PORT ?? 8080);
const starting = startDemoStack({ backend: php ? 'php' : 'node', port }).catch((error: unknown) => {
  process.stderr.write(
    `demo: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

// The gateway, Redis and PHP run in process groups of their own (#19), so a Ctrl-C in the
// terminal reaches only this process: it stops them all before it exits. The handlers are in
// place before start-up ends (the page may already answer then): a signal during start-up stops
// the demo once it has started. A second signal does not wait any longer: on any exit,
// testkit's exit hook SIGKILLs the groups still running.
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  starting
    .then((stack) => stack.stop())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `demo: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => (stopping ? process.exit(1) : stop()));
}

// Stop when the parent goes (also when it went during start-up).
const watchParent = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watchParent);
  stop();
}, 500);
watchParent.unref();

const stack = await starting;
const sites = [...new Set(DEMO_USERS.map((user) => user.site))].map(
  (site) =>
    `${site}: ${DEMO_USERS.filter((user) => user.site === site)
      .map((user) => `${user.name} (${user.id})`)
      .join(', ')}`,
);
process.stdout.write(
  [
    `Postbode demo: ${php ? 'PHP backend (generated Publisher over Redis)' : 'Node backend (POST /publish, gateway on Redis)'}`,
    '',
    `  open   ${stack.url}`,
    `  users  ${sites.join('  |  ')}`,
    '',
    'Open it in two browser windows (or a private one), log in as two users of the same site and chat.',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
