import { Writable } from 'node:stream';
import { signTestToken, TEST_JWT_SECRET } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { type Socket as ClientSocket, io } from 'socket.io-client';
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
export interface SyncPayload {
  epoch: string;
  offset: string;
  recovered: boolean;
  replayed: number;
  reason?: string;
}

/** A socket that connected with (or without) a cursor, and what it got up to its sync. */
export interface SyncedSocket {
  socket: ClientSocket;
  /** Every event from the start, in order (replayed ones, the sync, then live ones). */
  events: Array<{ event: string; args: unknown[] }>;
  /** The `postbode:sync` it got on connect. */
  sync: SyncPayload;
  /** The events before the sync: the replay. */
  replayed: Array<{ event: string; args: unknown[] }>;
}

/**
 * Connects a socket with `auth: { token, cursor }` and resolves at its `postbode:sync`, with
 * every event recorded from the first packet (a listener added after `connect` could miss
 * replayed events that arrive in the same read).
 */
export async function connectWithSync(
  url: string,
  claims: Record<string, unknown>,
  cursor?: { epoch: string; offset: string } | Record<string, unknown>,
  options: Record<string, unknown> = {},
): Promise<SyncedSocket> {
  const token = await signTestToken(claims);
  const socket = io(url, {
    autoConnect: false,
    reconnection: false,
    forceNew: true,
    auth: cursor === undefined ? { token } : { token, cursor },
    ...options,
  });
  const events: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => {
    events.push({ event, args });
  });
  const synced = new Promise<SyncedSocket>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`no postbode:sync from ${url} within 15 s`));
    }, 15_000);
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('postbode:sync', (sync: SyncPayload) => {
      clearTimeout(timer);
      const at = events.findIndex((e) => e.event === 'postbode:sync');
      resolve({ socket, events, sync, replayed: events.slice(0, at) });
    });
  });
  socket.connect();
  return synced;
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

/** The `body` of each `message.created` among `events`, in order. */
export function bodies(events: Array<{ event: string; args: unknown[] }>): string[] {
  return events
    .filter((e) => e.event === 'message.created')
    .map((e) => (e.args[0] as { body: string }).body);
}
