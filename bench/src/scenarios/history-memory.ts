import { sleep } from '../clock.js';
import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import {
  gatewayDefault,
  POSTBODE_STREAM,
  readMetric,
  startLocalPostbodeNode,
} from '../targets/postbode.js';

/** Parameters of the history-memory scenario. */
export interface HistoryMemoryParameters {
  /** Messages appended and retained (at most the gateway's POSTBODE_HISTORY_MAX_ENTRIES). */
  messages: number;
  /** Recipients drawn from this many users (rooms in the index). */
  users: number;
}

/** The gateway's default POSTBODE_HISTORY_MAX_ENTRIES. */
const DEFAULT_MAX_ENTRIES = gatewayDefault('POSTBODE_HISTORY_MAX_ENTRIES');

/** Redis's `used_memory`, bytes. */
async function redisUsedMemory(harness: Harness): Promise<number> {
  const admin = harness.redis.client();
  try {
    const info = await admin.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1]);
  } finally {
    admin.disconnect();
  }
}

/**
 * (h) History memory (contract 6): a fresh gateway with no sockets; its memory after a forced
 * GC, then again once it has read and retained `messages` small messages appended to the
 * stream (the bench's `message.created` to random users); the difference per message. Redis's
 * memory per stream entry beside it, and the envelope bytes the gateway counts against
 * POSTBODE_HISTORY_MAX_BYTES.
 */
export async function historyMemory(
  harness: Harness,
  parameters: HistoryMemoryParameters,
): Promise<Measurement[]> {
  const { messages, users } = parameters;
  const m = measurer(`(h) history memory, ${messages} retained messages`, 'history');
  await harness.useWire({ kind: 'stream', stream: POSTBODE_STREAM });
  const node = await startLocalPostbodeNode(harness.context, {
    env: messages > DEFAULT_MAX_ENTRIES ? { POSTBODE_HISTORY_MAX_ENTRIES: String(messages) } : {},
  });
  try {
    const before = await node.probe.memory();
    const redisBefore = await redisUsedMemory(harness);
    const run = await harness.publisher.call<{ published: number }>('unbounded', {
      users,
      count: messages,
      durationMs: 120_000,
    });
    const deadline = Date.now() + 60_000;
    let retained = 0;
    while (Date.now() < deadline) {
      retained = await readMetric(node, 'postbode_history_retained_messages');
      if (retained >= run.published) break;
      await sleep(100);
    }
    if (retained < run.published) {
      throw new Error(`the gateway retained ${retained} of ${run.published} messages`);
    }
    const bytes = await readMetric(node, 'postbode_history_retained_bytes');
    const after = await node.probe.memory();
    const redisAfter = await redisUsedMemory(harness);
    m.add(
      'heapPerMessage',
      'gateway heap per retained message (after GC)',
      'bytes',
      'lower',
      (after.heapUsed - before.heapUsed) / retained,
    );
    m.add(
      'rssPerMessage',
      'gateway RSS per retained message (after GC)',
      'bytes',
      'lower',
      (after.rss - before.rss) / retained,
    );
    m.add(
      'envelopeBytes',
      'envelope bytes per message (postbode_history_retained_bytes)',
      'bytes',
      'lower',
      bytes / retained,
    );
    m.add(
      'redisPerEntry',
      "Redis's memory per stream entry",
      'bytes',
      'lower',
      (redisAfter - redisBefore) / retained,
    );
    m.add(
      'heapTotal',
      'gateway heap with the history (after GC)',
      'MiB',
      'lower',
      after.heapUsed / 2 ** 20,
    );
    return m.list;
  } finally {
    await node.stop();
  }
}
