import type { Harness } from '../harness.js';
import { type Measurement, measurer } from '../measurement.js';
import { cpuSeconds, peakRssBytes } from '../proc-stat.js';
import { spread } from '../stats.js';
import {
  POSTBODE_CHANNEL,
  type PostbodeNode,
  readMetric,
  startPostbodeNode,
} from '../targets/postbode.js';

/** Parameters of the hostile-envelope scenario. */
export interface HostileEnvelopeParameters {
  /** Invalid user ids in the envelope's audience (empty strings: each fails `minLength`). */
  ids: number;
  /** How many times it is posted; medians over them. */
  rejections: number;
}

/** Envelopes the node has rejected so far, whatever the code and source. */
async function rejectedSoFar(node: PostbodeNode): Promise<number> {
  const rejected = await readMetric(node, 'postbode_envelopes_rejected_total');
  return Number.isNaN(rejected) ? 0 : rejected;
}

/**
 * (i) Hostile input (issue 16): one large invalid envelope, `ids` invalid user ids in its
 * audience (under the default 1 MiB limit), published on the gateway's Redis channel (where
 * the trusted but possibly buggy backend writes; `POST /publish` takes at most 64 KiB) to a
 * fresh gateway, `rejections` times. For each: the time until the gateway counted it rejected,
 * the longest time a `GET /healthz` sent every 2 ms waited meanwhile (how long the event loop
 * was blocked, which every other client of the node feels), the server's CPU for it, and how
 * far its peak RSS rose (`VmHWM`, over the first rejection). Run for every Postbode build among the targets, so
 * `--baseline` shows the path before the change beside it.
 */
export async function hostileEnvelope(
  harness: Harness,
  entry: string,
  parameters: HostileEnvelopeParameters,
): Promise<Measurement[]> {
  const { ids, rejections } = parameters;
  const m = measurer(`(i) a large invalid envelope, ${ids} invalid ids`, 'hostile');
  const node = await startPostbodeNode(harness.context, { entry });
  const redis = harness.redis.client();
  const body = JSON.stringify({
    v: 1,
    action: 'message.created',
    site: 'nl',
    to: { users: Array.from({ length: ids }, () => '') },
    data: { conversationId: 'c-1', messageId: 'm-1', senderId: '1', body: 'hello', sentAt: 0 },
  });
  try {
    const answers: number[] = [];
    const stalls: number[] = [];
    const cpu: number[] = [];
    const peakBefore = peakRssBytes(node.pid);
    let peakAfterFirst = Number.NaN;
    for (let i = 0; i < rejections; i++) {
      let done = false;
      let longest = 0;
      const poll = (async () => {
        while (!done) {
          const sent = performance.now();
          await fetch(`${node.url}/healthz`);
          longest = Math.max(longest, performance.now() - sent);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const rejectedBefore = await rejectedSoFar(node);
      const cpuBefore = cpuSeconds(node.pid);
      const sent = performance.now();
      await redis.publish(POSTBODE_CHANNEL, body);
      const deadline = Date.now() + 30_000;
      while ((await rejectedSoFar(node)) === rejectedBefore) {
        if (Date.now() > deadline) throw new Error('the gateway did not reject the envelope');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      answers.push(performance.now() - sent);
      cpu.push((cpuSeconds(node.pid) - cpuBefore) * 1000);
      done = true;
      await poll;
      stalls.push(longest);
      if (i === 0) peakAfterFirst = peakRssBytes(node.pid);
    }
    m.add('rejectedMs', 'time until counted as rejected', 'ms', 'lower', spread(answers).median);
    m.add(
      'stallMs',
      'longest /healthz wait meanwhile (loop blocked)',
      'ms',
      'lower',
      spread(stalls).median,
    );
    m.add('cpuMs', 'server CPU per rejection', 'ms', 'lower', spread(cpu).median);
    m.add(
      'peakRssMiB',
      'peak RSS growth (first rejection)',
      'MiB',
      'lower',
      (peakAfterFirst - peakBefore) / 2 ** 20,
    );
    m.add('bodyKiB', 'envelope size', 'KiB', 'lower', Buffer.byteLength(body) / 1024);
    return m.list;
  } finally {
    redis.disconnect();
    await node.stop();
  }
}
