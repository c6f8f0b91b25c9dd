import type { Harness } from '../harness.js';
import type { LoadGenerator } from '../loadgen/load-generator.js';
import type { RunningTarget, Target } from '../targets/target.js';

/** What the load generator reports after connecting. */
export interface ConnectResult {
  ok: number;
  failed: number;
  firstError?: string;
  /** From the first connect attempt until every client was ready (or failed), ms. */
  ms: number;
}

/** Handshakes in flight at most during a connection storm. */
export const STORM_CONCURRENCY = 500;

/** Connects `count` clients (users 0..count-1) to a running target, with either generator. */
export function connectClients(
  harness: Harness,
  target: Target,
  server: RunningTarget,
  count: number,
  generator: LoadGenerator = 'ws',
): Promise<ConnectResult> {
  return harness.loadgen.call<ConnectResult>('connect', {
    origin: server.origin,
    eio: target.eio,
    join: target.join,
    channels: target.channels,
    count,
    concurrency: STORM_CONCURRENCY,
    timeoutMs: 30_000,
    generator,
  });
}
