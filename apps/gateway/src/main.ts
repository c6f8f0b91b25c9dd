#!/usr/bin/env node
// The gateway process: the only module with process side effects (environment, listen,
// signals, exit codes).
import cluster from 'node:cluster';
import { PostbodeError } from '@postbode/protocol';
import { runPrimary } from './cluster/run-primary.js';
import { workerSetup } from './cluster/run-worker.js';
import { formatHelp } from './config/format-help.js';
import { readConfigFromEnv } from './config/read-config-from-env.js';
import { startGateway } from './gateway.js';
import { createLogger } from './observability/logger.js';

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
    // `--workers N` (or `--workers=N`) wins over POSTBODE_WORKERS.
    const at = process.argv.findIndex((arg) => arg === '--workers' || arg.startsWith('--workers='));
    const flag = at < 0 ? undefined : (process.argv[at]?.split('=')[1] ?? process.argv[at + 1]);
    config = readConfigFromEnv(flag === undefined ? {} : { POSTBODE_WORKERS: flag });
  } catch (error) {
    const message = error instanceof PostbodeError ? error.message : String(error);
    process.stderr.write(`postbode-gateway: ${message}\n`);
    process.exit(1);
  }
  if (config.workers > 1 && cluster.isPrimary) {
    const logger = createLogger(config.logLevel);
    const primary = await runPrimary(config, {
      logger,
      // Each worker drains, then closes; the primary waits a little longer than they may take.
      stopTimeoutMs: config.shutdown.drainSeconds * 1000 + EXIT_DEADLINE_AFTER_DRAIN_MS + 2_000,
    });
    let stopping = false;
    const stopAll = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal hurries the workers (they end their drain), as it does one node.
        logger.info({ signal }, 'signal received again; hurrying the workers');
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
        return;
      }
      stopping = true;
      logger.info({ signal }, 'signal received; stopping the workers');
      primary.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: String(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', stopAll);
    process.on('SIGINT', stopAll);
    await primary.started;
    return;
  }
  const asWorker = cluster.isWorker ? workerSetup(config) : undefined;
  const gateway = await startGateway(
    asWorker?.config ?? config,
    asWorker === undefined ? {} : { worker: asWorker.worker },
  );

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
  if (asWorker !== undefined) {
    asWorker.reportReady(() => gateway.ready);
    // A worker whose primary is gone (killed) stops like on SIGTERM instead of serving alone.
    process.once('disconnect', () => stop('SIGTERM'));
  }
}

main().catch((error: unknown) => {
  // Start-up failed after configuration (e.g. the port is taken): one line, exit 1.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`postbode-gateway: could not start: ${message}\n`);
  process.exit(1);
});
