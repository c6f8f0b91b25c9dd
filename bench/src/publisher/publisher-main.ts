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
    /** A fixed rate for `durationMs`, on a 1 ms tick. */
    async rate(args: { users: number; rate: number; durationMs: number }) {
      let published = 0;
      const started = now();
      for (;;) {
        const elapsed = now() - started;
        if (elapsed >= args.durationMs) break;
        const due = Math.floor((args.rate * elapsed) / 1000);
        while (published < due) {
          publishToRandomUser(args.users);
          published += 1;
        }
        await sleep(1);
      }
      await (redis as Redis).ping();
      return { published, ms: now() - started };
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
