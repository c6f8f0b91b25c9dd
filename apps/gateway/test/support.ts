import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type { SyncEvent } from '@postbode/protocol';
import {
  connectWithSync as connectSynced,
  type RedisServer,
  signTestToken,
  TEST_JWT_SECRET,
  type SyncedSocket as TestkitSyncedSocket,
} from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { parseConfig } from '../src/config/parse-config.js';
import { type Gateway, type GatewayOptions, startGateway } from '../src/gateway.js';

/** One parsed JSON log line. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** An in-process gateway whose log lines the test can read. */
export interface TestGateway {
  gateway: Gateway;
  url: string;
  logs: LogLine[];
  close(): Promise<void>;
}

/**
 * Starts a gateway in this process on a free port, configured as `POSTBODE_*` variables
 * would configure it (HS256 with the testkit's secret unless another key is given).
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: GatewayOptions = {},
): Promise<TestGateway> {
  const logs: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const hasKey = ['POSTBODE_JWT_SECRET', 'POSTBODE_JWT_PUBLIC_KEY', 'POSTBODE_JWT_JWKS_URL'].some(
    (name) => env[name] !== undefined,
  );
  const config = parseConfig({
    POSTBODE_PORT: '0',
    POSTBODE_HOST: '127.0.0.1',
    ...(hasKey ? {} : { POSTBODE_JWT_SECRET: TEST_JWT_SECRET }),
    ...env,
  });
  const gateway = await startGateway(config, {
    logger: pino({ level: 'debug' }, stream),
    ...options,
  });
  return { gateway, url: gateway.url, logs, close: () => gateway.close() };
}

/** Reads one metric's value from `GET /metrics` (sum over label sets matching `labels`). */
export async function readMetric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) {
      total += Number(match[3]);
      found = true;
    }
  }
  if (!found) throw new Error(`metric ${name}${JSON.stringify(labels)} not found`);
  return total;
}

/** An envelope of `message.created` to `to`, with a body that identifies it. */
export function messageTo(
  to: Record<string, unknown>,
  body: string,
  extra: Record<string, unknown> = {},
) {
  return {
    action: 'message.created',
    data: {
      messageId: `m-${body}`,
      conversationId: 'c-1',
      senderId: '1',
      body,
      sentAt: 1764250000000,
    },
    to,
    ...extra,
  };
}

/** The `postbode:sync` payload. */
export type SyncPayload = SyncEvent;

/** A socket that connected with (or without) a cursor, and what it got up to its sync. */
export type SyncedSocket = TestkitSyncedSocket<SyncEvent>;

/**
 * Connects a socket with a token signed for `claims` (and `cursor`, if given) and resolves at
 * its `postbode:sync`, with every event recorded from the first packet (the testkit's
 * `connectWithSync`).
 */
export async function connectWithSync(
  url: string,
  claims: Record<string, unknown>,
  cursor?: { epoch: string; offset: string } | Record<string, unknown>,
  options: Record<string, unknown> = {},
): Promise<SyncedSocket> {
  return connectSynced<SyncEvent>(url, {
    token: await signTestToken(claims),
    ...(cursor === undefined ? {} : { cursor }),
    ...options,
  });
}

/** Appends envelopes to the stream (one pipeline); resolves with their entry ids. */
export async function appendToStream(
  redis: Redis,
  envelopes: unknown[],
  stream = 'postbode:stream',
): Promise<string[]> {
  const pipeline = redis.pipeline();
  for (const envelope of envelopes)
    pipeline.xadd(stream, '*', 'envelope', JSON.stringify(envelope));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, id]) => {
    if (error) throw error;
    return id as string;
  });
}

/**
 * Publishes `payloads` on `channel` in one pipeline, on a client of its own: they reach the
 * gateway as one burst (one read of its subscriber connection, or a few).
 */
export async function publishAtOnce(
  redis: RedisServer,
  payloads: string[],
  channel = 'postbode',
): Promise<void> {
  const client = redis.client();
  try {
    const pipeline = client.pipeline();
    for (const payload of payloads) pipeline.publish(channel, payload);
    await pipeline.exec();
  } finally {
    client.disconnect();
  }
}

/** The `body` of each `message.created` among `events`, in order. */
export function bodies(events: Array<{ event: string; args: unknown[] }>): string[] {
  return events
    .filter((e) => e.event === 'message.created')
    .map((e) => (e.args[0] as { body: string }).body);
}

/** socket.io-parser as socket.io itself resolves it (not a dependency of this package). */
export const socketIoParser = createRequire(createRequire(import.meta.url).resolve('socket.io'))(
  'socket.io-parser',
) as {
  Encoder: new () => { encode(packet: unknown): unknown[] };
  Decoder: new () => {
    add(text: string): void;
    on(event: 'decoded', listener: (packet: { type: number; data: unknown[] }) => void): void;
  };
};
