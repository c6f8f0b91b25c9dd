// The publisher process: publishes messages into Redis the way each target expects them,
// stamped with the publish time on the shared clock, driven by the orchestrator over IPC.
import { Redis } from 'ioredis';
import { now, sleep } from '../clock.js';
import { serveIpc } from '../ipc.js';
import { createWirePublisher, type Payload, type Wire, type WirePublisher } from './wire.js';

let redis: Redis | undefined;
let wire: WirePublisher | undefined;
let sequence = 0;
/** Events the load generator has received, forwarded by the orchestrator (throughput runs). */
let received = 0;
let onProgress: (() => void) | undefined;
/** Messages published to each user since `rate` was asked to tally them (resume runs). */
let tally: Uint32Array | undefined;
/** Set by `stop`: a running `rate` ends at its next tick. */
let stopRequested = false;
/** Unbounded runs: messages per batch, and batches Redis may leave unanswered. */
const UNBOUNDED_BATCH = 1_000;
const UNBOUNDED_PENDING_BATCHES = 8;
// A fixed-seed xorshift: every target gets the same stream of recipients.
let seed = 0x2545f491;
const random = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};

const payload = (user: number, at: number): Payload => ({
  messageId: `m${++sequence}`,
  conversationId: `c${user}`,
  senderId: '7',
  body: `t${at.toFixed(3)}`,
  sentAt: Math.floor(at),
});

const publishToRandomUser = (users: number): void => {
  const user = Math.floor(random() * users);
  if (tally !== undefined) tally[user] = (tally[user] as number) + 1;
  const at = now();
  (wire as WirePublisher).toUser(user, payload(user, at), at);
};

serveIpc(
  {
    async init(args: { redisUrl: string; wire: Wire }) {
      redis?.disconnect();
      redis = new Redis(args.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
      await redis.ping();
      wire = createWirePublisher(redis, args.wire);
      seed = 0x2545f491;
      return { ok: true };
    },
    /**
     * As fast as Redis takes it for `durationMs`, with at most `window` messages published and
     * not yet received (unbounded publishing overflows the subscriber's output buffer in Redis
     * and it drops the subscription).
     */
    async throughput(args: { users: number; durationMs: number; window: number }) {
      received = 0;
      let published = 0;
      const started = now();
      const end = started + args.durationMs;
      while (now() < end) {
        const room = args.window - (published - received);
        if (room <= 0) {
          await new Promise<void>((resolve) => {
            onProgress = resolve;
            setTimeout(resolve, 5);
          });
          onProgress = undefined;
          continue;
        }
        const batch = Math.min(room, 256);
        for (let i = 0; i < batch; i++) publishToRandomUser(args.users);
        published += batch;
        // Let ioredis flush its pipeline and the progress notices come in.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await (redis as Redis).ping();
      return { published, ms: now() - started };
    },
    /**
     * Unbounded: as fast as Redis takes it, with no window on delivery (a backend does not
     * wait for browsers), until `count` messages are published or `durationMs` has passed.
     * Only Redis paces it: at most 8 batches of 1,000 unanswered, so that the publisher's own
     * queue stays bounded. `ms` runs until Redis has answered the last one.
     */
    async unbounded(args: { users: number; count: number; durationMs: number }) {
      let published = 0;
      const started = now();
      const end = started + args.durationMs;
      const answered: Array<Promise<unknown>> = [];
      while (published < args.count && now() < end) {
        const batch = Math.min(UNBOUNDED_BATCH, args.count - published);
        for (let i = 0; i < batch; i++) publishToRandomUser(args.users);
        published += batch;
        // Replies come in order: the PING's says Redis has taken the whole batch.
        answered.push((redis as Redis).ping());
        if (answered.length >= UNBOUNDED_PENDING_BATCHES) await answered.shift();
        else await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(answered);
      return { published, ms: now() - started };
    },
    /**
     * A fixed rate for `durationMs` (or until `stop`), on a 1 ms tick. With `tally`, also
     * returns how many messages each user was sent (`perUser`).
     */
    async rate(args: { users: number; rate: number; durationMs: number; tally?: boolean }) {
      let published = 0;
      stopRequested = false;
      tally = args.tally === true ? new Uint32Array(args.users) : undefined;
      const started = now();
      for (;;) {
        const elapsed = now() - started;
        if (elapsed >= args.durationMs || stopRequested) break;
        const due = Math.floor((args.rate * elapsed) / 1000);
        while (published < due) {
          publishToRandomUser(args.users);
          published += 1;
        }
        await sleep(1);
      }
      await (redis as Redis).ping();
      const perUser = tally === undefined ? undefined : Array.from(tally);
      tally = undefined;
      return { published, ms: now() - started, perUser };
    },
    /** Ends a running `rate` at its next tick. */
    stop() {
      stopRequested = true;
      return { ok: true };
    },
    /** One message to everyone. */
    async broadcast() {
      const at = now();
      (wire as WirePublisher).toAll(payload(0, at), at);
      await (redis as Redis).ping();
      return { published: 1 };
    },
    async exit() {
      redis?.disconnect();
      setTimeout(() => process.exit(0), 10);
      return { ok: true };
    },
  },
  (notice) => {
    if (notice.type === 'progress') {
      received = notice.received as number;
      onProgress?.();
    }
  },
);
process.on('disconnect', () => process.exit(0));
