import { fileURLToPath } from 'node:url';
import type { PayloadOf, ServerActionName } from '@postbode/protocol';
import {
  type GatewayProcess,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { onTestFinished } from 'vitest';
import {
  type ConnectionStatus,
  createRealtimeClient,
  type RealtimeClient,
  type RealtimeClientOptions,
} from '../src/index.js';

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

/** A real redis-server and a real gateway process, owned by one test file. */
export interface Stack {
  readonly redis: RedisServer;
  readonly gateway: GatewayProcess;
  /** Publishes an envelope on the gateway's Redis channel, as the PHP backend does. */
  publish<A extends ServerActionName>(envelope: TestEnvelope<A>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server and the built gateway (`@postbode/gateway/main`) on free ports. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const redis = await startRedis();
  try {
    const gateway = await startGatewayProcess({
      entry: gatewayEntry,
      env: { POSTBODE_REDIS_URL: redis.url, ...env },
    });
    return {
      redis,
      gateway,
      async publish(envelope) {
        await redis.publish('postbode', JSON.stringify(envelope));
      },
      async stop() {
        await gateway.stop();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

let nextUser = 0;

/** A user id no other test of this process uses, so tests can share one gateway. */
export function uniqueUser(): string {
  nextUser += 1;
  return `u-${process.pid}-${nextUser}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A token for `sub`, signed with the gateway's test secret. */
export function tokenFor(sub: string, expiresInSeconds = 3600): Promise<string> {
  return signTestToken({ sub }, { expiresInSeconds });
}

/** Creates a client that is disconnected when the current test ends. */
export function clientFor(
  stack: Stack,
  options: Omit<RealtimeClientOptions, 'url'> & Partial<Pick<RealtimeClientOptions, 'url'>>,
): RealtimeClient {
  const client = createRealtimeClient({
    url: stack.gateway.url,
    ...options,
  } as RealtimeClientOptions);
  onTestFinished(() => client.disconnect());
  return client;
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
