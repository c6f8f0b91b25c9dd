import type WebSocket from 'ws';
import { now, sleep } from '../clock.js';
import { type BenchClient, openClient } from './eio-client.js';

/** What {@link ResumeClients.resumed} reports once every client synced on its new node. */
export interface ResumeResult {
  /** Clients that got a `postbode:sync` on their new connection. */
  resumed: number;
  /** ... of them with `recovered: true`. */
  recovered: number;
  /** Clients that did not recover, by `reason` (`timeout`: no sync in time). */
  notRecovered: Record<string, number>;
  /** Messages the new node replayed before the syncs (their `replayed`, summed). */
  replayed: number;
  /** Reconnect attempts that failed (and were retried). */
  failedAttempts: number;
  /** When the first connection closed, and when the last client synced (clock.ts `now`). */
  firstCloseAt: number;
  lastSyncAt: number;
}

/** Messages each user's socket received, and what should not have arrived. */
export interface ResumeCounts {
  /** Per user: messages received (live and replayed), each offset counted once. */
  perUser: number[];
  /** Messages whose offset was not after the socket's cursor (delivered twice). */
  duplicates: number;
  /** Messages without `meta.offset` (not durable). */
  withoutOffset: number;
}

/** Options of {@link ResumeClients}. */
export interface ResumeClientsOptions {
  /** The signed token of each user (index = user id). */
  tokens: readonly string[];
  /** The next loopback source address to bind (rotating over the run). */
  nextSource(): string;
  /** Called for every delivered message (the load generator's `received` counter). */
  onReceived(): void;
}

interface ResumeClient {
  readonly user: number;
  client: BenchClient | undefined;
  /** The resume cursor: the last `meta.offset` or sync `offset` seen, whichever came last. */
  epoch: string;
  offset: string;
  received: number;
  /** Connections opened (1, then 2 after a failover), and the last one that got its sync. */
  generation: number;
  synced: number;
  recovered: boolean;
  reason: string | undefined;
  replayed: number;
}

const OFFSET = Buffer.from('"offset":"');
const QUOTE = 0x22;

/** Orders two stream ids (`<ms>-<seq>`) numerically. */
export function compareOffsets(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  return Number(aMs) - Number(bMs) || Number(aSeq) - Number(bSeq);
}

/** `meta.offset` of a delivered message, read from the frame's bytes (meta comes last). */
export function offsetOf(frame: Buffer): string | undefined {
  const at = frame.lastIndexOf(OFFSET);
  if (at < 0) return undefined;
  const start = at + OFFSET.length;
  const end = frame.indexOf(QUOTE, start);
  return end < 0 ? undefined : frame.toString('latin1', start, end);
}

/**
 * Postbode clients that behave like the SDK across a node's death: each keeps its cursor
 * (`epoch` from its sync, `offset` from the last message or sync), and once a failover is
 * armed, a closed connection comes back at once on the other node with `auth.cursor`, at most
 * `concurrency` handshakes in flight. Each counts what it received by offset, so a message
 * replayed that it already had shows up as a duplicate.
 */
export class ResumeClients {
  private clients: ResumeClient[] = [];
  private duplicates = 0;
  private withoutOffset = 0;
  private failover: { origin: string; concurrency: number; timeoutMs: number } | undefined;
  private queue: ResumeClient[] = [];
  private inFlight = 0;
  private failedAttempts = 0;
  private firstCloseAt = Number.NaN;
  private lastSyncAt = Number.NaN;

  constructor(private readonly options: ResumeClientsOptions) {}

  /** Opens one client per user 0..count-1 on `origin` (no cursor: a first connection). */
  async connect(args: {
    origin: string;
    count: number;
    concurrency: number;
    timeoutMs: number;
  }): Promise<{ ok: number; failed: number; firstError?: string; ms: number }> {
    if (this.options.tokens.length < args.count) {
      throw new Error(`only ${this.options.tokens.length} tokens signed; ${args.count} needed`);
    }
    this.clients = Array.from({ length: args.count }, (_, user) => ({
      user,
      client: undefined,
      epoch: '',
      offset: '0-0',
      received: 0,
      generation: 0,
      synced: 0,
      recovered: false,
      reason: undefined,
      replayed: 0,
    }));
    const started = now();
    let next = 0;
    let ok = 0;
    let failed = 0;
    let firstError: string | undefined;
    const worker = async (): Promise<void> => {
      while (next < this.clients.length) {
        const state = this.clients[next++] as ResumeClient;
        try {
          await this.open(state, args.origin, args.timeoutMs, false);
          ok += 1;
        } catch (error) {
          failed += 1;
          firstError ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, worker));
    return { ok, failed, ...(firstError === undefined ? {} : { firstError }), ms: now() - started };
  }

  /** From now on, a closed connection reconnects to `origin` with its cursor. */
  armFailover(args: { origin: string; concurrency: number; timeoutMs: number }): void {
    this.failover = args;
    this.firstCloseAt = Number.NaN;
    this.lastSyncAt = Number.NaN;
    this.failedAttempts = 0;
  }

  /** Waits until every client synced on its new connection, or `timeoutMs` passed. */
  async resumed(timeoutMs: number): Promise<ResumeResult> {
    const deadline = now() + timeoutMs;
    while (now() < deadline && this.clients.some((state) => state.synced < 2)) await sleep(20);
    const notRecovered: Record<string, number> = {};
    let resumed = 0;
    let recovered = 0;
    let replayed = 0;
    for (const state of this.clients) {
      if (state.synced >= 2) resumed += 1;
      if (state.synced >= 2 && state.recovered) recovered += 1;
      else {
        const reason = state.synced >= 2 ? (state.reason ?? 'unknown') : 'timeout';
        notRecovered[reason] = (notRecovered[reason] ?? 0) + 1;
      }
      replayed += state.replayed;
    }
    return {
      resumed,
      recovered,
      notRecovered,
      replayed,
      failedAttempts: this.failedAttempts,
      firstCloseAt: this.firstCloseAt,
      lastSyncAt: this.lastSyncAt,
    };
  }

  /** What each user received. */
  counts(): ResumeCounts {
    return {
      perUser: this.clients.map((state) => state.received),
      duplicates: this.duplicates,
      withoutOffset: this.withoutOffset,
    };
  }

  /** Closes every connection (no failover any more). */
  async close(): Promise<number> {
    this.failover = undefined;
    this.queue = [];
    const sockets = this.clients
      .map((state) => state.client?.ws)
      .filter((ws): ws is WebSocket => ws !== undefined && ws.readyState !== 3);
    this.clients = [];
    await Promise.race([
      Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              ws.once('close', () => resolve());
              ws.terminate();
            }),
        ),
      ),
      sleep(10_000),
    ]);
    return sockets.length;
  }

  private async open(
    state: ResumeClient,
    origin: string,
    timeoutMs: number,
    resume: boolean,
  ): Promise<void> {
    state.generation += 1;
    const generation = state.generation;
    const client = await openClient({
      origin,
      eio: 4,
      join: 'token',
      token: this.options.tokens[state.user] as string,
      ...(resume ? { cursor: { epoch: state.epoch, offset: state.offset } } : {}),
      localAddress: this.options.nextSource(),
      timeoutMs,
      onEvent: (frame) => this.onMessage(state, frame),
      onSync: (frame) => this.onSync(state, generation, frame),
    });
    state.client = client;
    client.ws.once('close', () => this.onClose(state, client));
  }

  private onMessage(state: ResumeClient, frame: Buffer): void {
    const offset = offsetOf(frame);
    if (offset === undefined) {
      this.withoutOffset += 1;
      return;
    }
    if (compareOffsets(offset, state.offset) <= 0) {
      this.duplicates += 1;
      return;
    }
    state.offset = offset;
    state.received += 1;
    this.options.onReceived();
  }

  private onSync(state: ResumeClient, generation: number, frame: Buffer): void {
    const [, sync] = JSON.parse(frame.toString('utf8', 2)) as [
      string,
      { epoch: string; offset: string; recovered: boolean; replayed: number; reason?: string },
    ];
    state.epoch = sync.epoch;
    if (compareOffsets(sync.offset, state.offset) > 0) state.offset = sync.offset;
    state.synced = generation;
    if (generation >= 2) {
      state.recovered = sync.recovered;
      state.reason = sync.reason;
      state.replayed += sync.replayed;
      this.lastSyncAt = now();
    }
  }

  private onClose(state: ResumeClient, client: BenchClient): void {
    if (state.client !== client || this.failover === undefined) return;
    state.client = undefined;
    if (Number.isNaN(this.firstCloseAt)) this.firstCloseAt = now();
    this.queue.push(state);
    this.pump();
  }

  /** Reconnects queued clients, at most `concurrency` handshakes at a time. */
  private pump(): void {
    const failover = this.failover;
    if (failover === undefined) return;
    while (this.inFlight < failover.concurrency && this.queue.length > 0) {
      const state = this.queue.shift() as ResumeClient;
      this.inFlight += 1;
      this.open(state, failover.origin, failover.timeoutMs, true)
        .catch(async () => {
          this.failedAttempts += 1;
          await sleep(100);
          if (this.failover !== undefined) this.queue.push(state);
        })
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}
