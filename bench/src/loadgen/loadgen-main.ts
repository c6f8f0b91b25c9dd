// The load generator process: socket.io clients over bare WebSockets (and, for the legacy
// scenario, polling browsers), driven by the orchestrator over IPC. It signs every user's
// token once, up front, so signing never counts as the server's cost.
import { signTestToken } from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { now } from '../clock.js';
import { startGcMonitor } from '../gc-monitor.js';
import { serveIpc } from '../ipc.js';
import { runPool } from './connect-pool.js';
import { type BenchClient, type JoinMode, openClient } from './eio-client.js';
import { LatencyRecorder, publishTimeOf } from './latency-recorder.js';
import type { LoadGenerator } from './load-generator.js';
import { runPolling } from './poll-client.js';
import { ResumeClients } from './resume-clients.js';
import { openSiocClient, publishTimeOfPayload } from './sioc-client.js';

/** `connect` command. */
export interface ConnectArgs {
  origin: string;
  eio: 3 | 4;
  join: JoinMode;
  count: number;
  concurrency: number;
  /** Channels per user for `subscribe` joins: `{user}` is replaced by the user id. */
  channels?: string[];
  timeoutMs: number;
  /**
   * Which client connects: the bare-`ws` Engine.IO client (`ws`, every target) or the official
   * socket.io-client (`socket.io-client`, socket.io 4 targets with `token` joins only).
   * @default 'ws'
   */
  generator?: LoadGenerator;
}

/** `reset` command: what to record from now on. */
export interface ResetArgs {
  /** `count` only counts events; `latency` also records publish-to-receive per event. */
  mode: 'count' | 'latency';
  /** Send `{ type: 'progress', received }` this often (ms); 0: never. */
  progressEveryMs: number;
  /** Latency samples to make room for. */
  capacity: number;
}

const gcMonitor = startGcMonitor();
const tokens: string[] = [];
let clients: BenchClient[] = [];
let siocClients: Socket[] = [];
let received = 0;
let mode: ResetArgs['mode'] = 'count';
let recorder = new LatencyRecorder(1);
let progressTimer: NodeJS.Timeout | undefined;
// Source addresses rotate over the whole run, so the connections this process closed, each in
// TIME_WAIT on its address and port for 60 s, never crowd one address's 28k ephemeral ports:
// the kernel's search for a free port to bind grows with them. With 16 addresses, the 19k
// storms after two others within the minute (about 100k in TIME_WAIT, a quarter of each
// address's ports) ran the load generator's core at 100 % in the kernel, its CPU per
// connection 0.19 → 0.6 ms and the storm's time 6 → 13 s, whichever target's turn it was (the
// full run of 2026-12-01 00:46). With 250 they take about 2 % of each address's ports.
const SOURCE_ADDRESSES = Array.from({ length: 250 }, (_, i) => `127.0.0.${i + 2}`);
let nextSource = 0;
const takeSource = (): string => SOURCE_ADDRESSES[nextSource++ % SOURCE_ADDRESSES.length] as string;
// Clients that keep a resume cursor (the reconnect storm), apart from the plain ones.
const resumeClients = new ResumeClients({
  tokens,
  nextSource: takeSource,
  onReceived: () => {
    received += 1;
  },
});

const onEvent = (frame: Buffer): void => {
  received += 1;
  if (mode === 'latency') recorder.record(now() - publishTimeOf(frame));
};
const onSiocEvent = (_event: string, payload: unknown): void => {
  received += 1;
  if (mode === 'latency') recorder.record(now() - publishTimeOfPayload(payload));
};

// EIO 3 clients ping the server (EIO 4 servers ping the clients): keep them alive.
setInterval(() => {
  for (const client of clients)
    if (client.eio === 3 && client.ws.readyState === 1) client.ws.send('2');
}, 20_000).unref();

serveIpc({
  async tokens(args: { count: number; secret: string }) {
    const started = now();
    for (let user = tokens.length; user < args.count; user++) {
      tokens.push(
        await signTestToken({ sub: String(user) }, { key: args.secret, expiresInSeconds: 7200 }),
      );
    }
    return { count: tokens.length, ms: now() - started };
  },
  async connect(args: ConnectArgs) {
    if (tokens.length < args.count && args.join === 'token') {
      throw new Error(`only ${tokens.length} tokens signed; ${args.count} needed`);
    }
    if (args.generator === 'socket.io-client') {
      if (args.eio !== 4 || args.join !== 'token') {
        throw new Error('the socket.io-client generator speaks socket.io 4 with auth tokens only');
      }
      const sockets: Socket[] = new Array(args.count);
      const started = now();
      const result = await runPool(args.count, args.concurrency, async (user) => {
        sockets[user] = await openSiocClient({
          origin: args.origin,
          token: tokens[user] as string,
          localAddress: takeSource(),
          timeoutMs: args.timeoutMs,
          onEvent: onSiocEvent,
        });
      });
      const ms = now() - started;
      siocClients = sockets.filter((socket) => socket !== undefined);
      return { ...result, ms };
    }
    const connected: BenchClient[] = new Array(args.count);
    const started = now();
    const result = await runPool(args.count, args.concurrency, async (user) => {
      const source = takeSource();
      connected[user] = await openClient({
        origin: args.origin,
        eio: args.eio,
        join: args.join,
        token: tokens[user] as string,
        channels: (args.channels ?? []).map((channel) => channel.replace('{user}', String(user))),
        localAddress: source,
        timeoutMs: args.timeoutMs,
        onEvent,
      });
    });
    const ms = now() - started;
    clients = connected.filter((client) => client !== undefined);
    return { ...result, ms };
  },
  async disconnect() {
    const closing = clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.ws.readyState === 3) return resolve();
          client.ws.once('close', () => resolve());
          client.ws.terminate();
        }),
    );
    clients = [];
    for (const socket of siocClients) socket.close();
    const siocClosed = siocClients.length;
    siocClients = [];
    const [resumed] = await Promise.all([
      resumeClients.close(),
      Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 10_000))]),
    ]);
    return { closed: closing.length + siocClosed + resumed };
  },
  /** Reconnect storm: clients that keep their cursor (users 0..count-1). */
  resumeConnect(args: { origin: string; count: number; concurrency: number; timeoutMs: number }) {
    return resumeClients.connect(args);
  },
  /** From now on, their closed connections come back on `origin` with their cursor. */
  resumeArm(args: { origin: string; concurrency: number; timeoutMs: number }) {
    resumeClients.armFailover(args);
    return { ok: true };
  },
  /** Waits until every one of them synced on its new connection. */
  resumeWait(args: { timeoutMs: number }) {
    return resumeClients.resumed(args.timeoutMs);
  },
  resumeCounts() {
    return resumeClients.counts();
  },
  reset(args: ResetArgs) {
    (globalThis as { gc?: () => void }).gc?.();
    received = 0;
    mode = args.mode;
    recorder = new LatencyRecorder(mode === 'latency' ? args.capacity : 1);
    clearInterval(progressTimer);
    progressTimer = undefined;
    if (args.progressEveryMs > 0) {
      progressTimer = setInterval(
        () => process.send?.({ type: 'progress', received }),
        args.progressEveryMs,
      );
    }
    gcMonitor.read(true);
    return { ok: true };
  },
  received() {
    return { received };
  },
  stats() {
    return {
      received,
      latency: mode === 'latency' ? recorder.summary() : undefined,
      gc: gcMonitor.read(false),
    };
  },
  async poll(args: { origin: string; users: number; intervalMs: number; durationMs: number }) {
    const result = await runPolling({ ...args, recorder });
    received = result.messages;
    return result;
  },
  exit() {
    setTimeout(() => process.exit(0), 10);
    return { ok: true };
  },
});
// Parent gone: nothing left to do.
process.on('disconnect', () => process.exit(0));
