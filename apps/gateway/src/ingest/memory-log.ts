import { randomUUID } from 'node:crypto';
import type { DecodedEnvelope } from './decoded-envelope.js';
import type { DurableLog, DurableLogSink } from './durable-log.js';

/**
 * The embedded bus's history: one process, no Redis. Offsets are stream-style ids
 * (`<ms>-<seq>`), the epoch is new with every process (its history dies with it), so the
 * recovery contract is the same as with Redis.
 */
export function createMemoryLog(sink: DurableLogSink): DurableLog {
  const epoch = randomUUID();
  let lastMs = 0;
  let seq = 0;
  let started = false;
  return {
    kind: 'memory',
    epoch,
    get ready() {
      return started;
    },
    async start() {
      sink.reset(epoch, '0-0', '0-0', 'start');
      started = true;
    },
    async catchUp() {},
    async append(envelope: DecodedEnvelope) {
      const now = Date.now();
      if (now > lastMs) {
        lastMs = now;
        seq = 0;
      } else seq += 1;
      const offset = `${lastMs}-${seq}`;
      sink.decoded(offset, envelope);
      return offset;
    },
    async close() {
      started = false;
    },
  };
}
