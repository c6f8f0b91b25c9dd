#!/usr/bin/env node
// The gateway process: the only module with process side effects (environment, listen,
// signals, exit codes).
import { PostbodeError } from '@postbode/protocol';
import { formatHelp } from './config/format-help.js';
import { readConfigFromEnv } from './config/read-config-from-env.js';
import { startGateway } from './gateway.js';

/** Exit within this long after SIGTERM/SIGINT, whatever is still open. */
const EXIT_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(formatHelp());
    return;
  }
  let config: ReturnType<typeof readConfigFromEnv>;
  try {
    config = readConfigFromEnv();
  } catch (error) {
    const message = error instanceof PostbodeError ? error.message : String(error);
    process.stderr.write(`postbode-gateway: ${message}\n`);
    process.exit(1);
  }
  const gateway = await startGateway(config);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, 'signal received');
    setTimeout(() => {
      gateway.logger.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, EXIT_DEADLINE_MS).unref();
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  // Start-up failed after configuration (e.g. the port is taken): one line, exit 1.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`postbode-gateway: could not start: ${message}\n`);
  process.exit(1);
});
