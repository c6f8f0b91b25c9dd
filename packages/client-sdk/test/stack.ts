import { fileURLToPath } from 'node:url';
import type { PayloadOf, ServerActionName } from '@postbode/protocol';
import { DEFAULT_STREAM, type SyncReason } from '@postbode/protocol/core';
import {
  type GatewayProcess,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import type { ConnectionStatus } from '../src/connection-status.js';
import { createRealtimeClient } from '../src/create-realtime-client.js';
import type { Logger } from '../src/logger.js';
import type { RealtimeClient } from '../src/realtime-client.js';
import type { RealtimeClientOptions } from '../src/realtime-client-options.js';

// The one set-up of the SDK's integration tests: a real redis-server and the real, built
// gateway process per test file, clients that close when their test ends.

const gatewayEntry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));

/** What the backend publishes: an envelope of one action. */
export interface TestEnvelope<A extends ServerActionName> {
  action: A;
  data: PayloadOf<A>;
  to: { users?: string[]; roles?: string[]; all?: true };
  site?: string;
  id?: string;
  ts?: number;
}

/** Client options without `url` (the stack's gateway) and with a token or getToken. */
export type TestClientOptions = Omit<RealtimeClientOptions, 'url'> &
  Partial<Pick<RealtimeClientOptions, 'url'>>;

/** Options of {@link Stack.clientForNewUser}: client options, the token made for the user. */
export type NewUserClientOptions = Partial<TestClientOptions> & {
  /**
   * Lifetime of the user's first token, in seconds (negative: expired already).
   * @default 3600
   */
  tokenSeconds?: number;
};

/** A real redis-server and a real gateway process, owned by one test file. */
export interface Stack {
  readonly redis: RedisServer;
  readonly gateway: GatewayProcess;
  /** Publishes an envelope on the gateway's Redis channel (legacy, live only). */
  publish<A extends ServerActionName>(envelope: TestEnvelope<A>): Promise<void>;
  /**
   * Appends envelopes to the gateway's durable stream (`XADD postbode:stream * envelope
   * <json>`), as the PHP publisher does; resolves with their entry ids, the messages' offsets.
   */
  append(...envelopes: TestEnvelope<ServerActionName>[]): Promise<string[]>;
  /** The stream's epoch, as the PHP publisher's `cursor()` reads it (`<stream>:meta` `epoch`). */
  epoch(): Promise<string>;
  /** Creates a client of this gateway that is disconnected when the current test ends. */
  client(options: TestClientOptions): RealtimeClient;
  /**
   * A client (as {@link Stack.client}) for a user no other test uses, with a valid token
   * unless `token` or `tokenSeconds` says otherwise.
   */
  clientForNewUser(
    options?: NewUserClientOptions,
  ): Promise<{ user: string; client: RealtimeClient }>;
}

/**
 * Starts redis-server and the built gateway (`@postbode/gateway/main`) on free ports before the
 * tests of the calling file, and stops both after them. Call it once, at the top of the file;
 * `env` adds `POSTBODE_*` settings.
 *
 * @example
 * const stack = useStack();
 * it('receives', async () => {
 *   const { user, client } = await stack.clientForNewUser();
 *   await waitForStatus(client, 'connected');
 *   await stack.publish({ action: 'message.read', data, to: { users: [user] } });
 * });
 */
export function useStack(env: Record<string, string> = {}): Stack {
  let started:
    | { redis: RedisServer; gateway: GatewayProcess; commands: ReturnType<RedisServer['client']> }
    | undefined;
  beforeAll(async () => {
    const redis = await startRedis();
    try {
      const gateway = await startGatewayProcess({
        entry: gatewayEntry,
        env: { POSTBODE_REDIS_URL: redis.url, ...env },
      });
      const commands = redis.client();
      // It reconnects by itself when a test restarts redis-server.
      commands.on('error', () => undefined);
      started = { redis, gateway, commands };
    } catch (error) {
      await redis.stop();
      throw error;
    }
  });
  afterAll(async () => {
    started?.commands.disconnect();
    await started?.gateway.stop();
    await started?.redis.stop();
  });
  const running = () => {
    if (started === undefined) throw new Error('the stack runs only inside the tests of its file');
    return started;
  };
  const stack: Stack = {
    get redis() {
      return running().redis;
    },
    get gateway() {
      return running().gateway;
    },
    async publish(envelope) {
      await running().redis.publish('postbode', JSON.stringify(envelope));
    },
    async append(...envelopes) {
      const pipeline = running().commands.pipeline();
      for (const envelope of envelopes) {
        pipeline.xadd(DEFAULT_STREAM, '*', 'envelope', JSON.stringify(envelope));
      }
      return ((await pipeline.exec()) ?? []).map(([error, id]) => {
        if (error) throw error;
        return String(id);
      });
    },
    async epoch() {
      const epoch = await running().commands.hget(`${DEFAULT_STREAM}:meta`, 'epoch');
      if (epoch === null) throw new Error(`${DEFAULT_STREAM}:meta has no epoch yet`);
      return epoch;
    },
    client(options) {
      const client = createRealtimeClient({
        url: running().gateway.url,
        ...options,
      } as RealtimeClientOptions);
      onTestFinished(() => client.disconnect());
      return client;
    },
    async clientForNewUser({ tokenSeconds, ...options } = {}) {
      const user = uniqueUser();
      const token = options.token ?? (await tokenFor(user, tokenSeconds));
      return { user, client: stack.client({ ...options, token }) };
    },
  };
  return stack;
}

let nextUser = 0;

/** A user id no other test of this process uses, so tests can share one gateway. */
export function uniqueUser(): string {
  nextUser += 1;
  return `u-${process.pid}-${nextUser}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A `message.created` envelope for `user` with `body` (and a message id made from it). */
export function chatMessage(user: string, body: string): TestEnvelope<'message.created'> {
  return {
    action: 'message.created',
    data: { messageId: `m-${body}`, conversationId: 'c-1', senderId: '7', body, sentAt: 1 },
    to: { users: [user] },
  };
}

/** Records the reasons of every `onResync` of a client. */
export function recordResyncs(client: RealtimeClient): SyncReason[] {
  const reasons: SyncReason[] = [];
  client.onResync((reason) => reasons.push(reason));
  return reasons;
}

/** A token for `sub`, signed with the gateway's test secret. */
export function tokenFor(sub: string, expiresInSeconds = 3600): Promise<string> {
  return signTestToken({ sub }, { expiresInSeconds });
}

/** Waits until `client.status` is `status`. */
export function waitForStatus(
  client: RealtimeClient,
  status: ConnectionStatus,
  timeoutMs = 15_000,
): Promise<void> {
  return waitUntil(() => client.status === status, {
    timeoutMs,
    description: `status ${status} (now ${client.status})`,
  }).then(() => undefined);
}

/** Records every status a client goes through. */
export function recordStatuses(client: RealtimeClient): ConnectionStatus[] {
  const seen: ConnectionStatus[] = [client.status];
  client.onStatus((status) => seen.push(status));
  return seen;
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'debug', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}
