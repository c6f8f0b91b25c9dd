#!/usr/bin/env node
// The gateway process: the only module with process side effects (environment, listen,
// signals, exit codes).
import { PostbodeError } from '@postbode/protocol';
import { formatHelp } from './config/format-help.js';
import { readConfigFromEnv } from './config/read-config-from-env.js';
import { startGateway } from './gateway.js';

/**
 * Exit within this long after the first SIGTERM/SIGINT, beyond the drain, whatever is still
 * open (the closing takes at most the gateway's shutdown timeout, 5 s).
 */
const EXIT_DEADLINE_AFTER_DRAIN_MS = 10_000;

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

  // First signal: drain, then close in batches. Second: end the drain and close the rest at
  // once. Third: exit now (1).
  const hurry = new AbortController();
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals += 1;
    gateway.logger.info({ signal, count: signals }, 'signal received');
    if (signals === 2) {
      hurry.abort();
      return;
    }
    if (signals > 2) process.exit(1);
    const drainMs = config.shutdown.drainSeconds * 1000;
    setTimeout(() => {
      gateway.logger.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, drainMs + EXIT_DEADLINE_AFTER_DRAIN_MS).unref();
    gateway.close({ drainMs, hurry: hurry.signal }).then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  // Start-up failed after configuration (e.g. the port is taken): one line, exit 1.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`postbode-gateway: could not start: ${message}\n`);
  process.exit(1);
});
