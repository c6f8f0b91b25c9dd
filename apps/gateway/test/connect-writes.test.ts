import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitUntil } from '@postbode/testkit';
import { Server } from 'socket.io';
import { type Socket as ClientSocket, io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { writeConnectTogether } from '../src/connection/connect-writes.js';
import type { PostbodeServer, PostbodeSocket } from '../src/connection/socket-types.js';
import { createDeliver } from '../src/delivery/deliver.js';
import { encodeEventFrame, eventOfFrame } from '../src/delivery/event-frame.js';
import { createSocketBuffer } from '../src/delivery/socket-buffer.js';
import { EntryQueue } from '../src/history/entry-queue.js';
import { HistoryColumns } from '../src/history/history-columns.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { socketIoParser } from './support.js';

// connect-writes.ts and deliver.ts `writeTo`: socket.io's CONNECT answer, the replayed messages
// and `postbode:sync` leave in one TCP write, in order; event-frame.ts writes the bytes
// socket.io's own encoder and ws would.

/** ws's frame builder, which socket.io-adapter uses (not in @types/ws). */
const { Sender } = WebSocket as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean },
    ): Buffer[];
  };
};

describe('encodeEventFrame', () => {
  it.each([
    ['short', 10],
    ['16-bit length', 1_000],
    ['64-bit length', 70_000],
  ])('writes the bytes socket.io-parser and ws write (%s payload)', (_name, size) => {
    const args = ['message.created', { body: 'é'.repeat(size), n: 1 }, { id: 'x', offset: '1-0' }];
    const [text] = new socketIoParser.Encoder().encode({ type: 2, data: args, nsp: '/' });
    const expected = Buffer.concat(
      Sender.frame(Buffer.from(`4${text as string}`), {
        readOnly: false,
        mask: false,
        rsv1: false,
        opcode: 1,
        fin: true,
      }),
    );
    const encoded = encodeEventFrame(args);
    expect(encoded.packets).toEqual([text]);
    const { wsPreEncodedFrame } = encoded.options;
    expect(wsPreEncodedFrame).toHaveLength(1);
    expect(wsPreEncodedFrame[0].equals(expected)).toBe(true);
  });

  it.each([
    ['short', 3],
    ['16-bit length', 1_000],
    ['64-bit length', 70_000],
  ])(
    'a frame kept by the history comes back as the same bytes and packet (%s payload)',
    (_name, size) => {
      const body = `é👋🏽中${'x'.repeat(size)}\u2028"\\`;
      const encoded = encodeEventFrame(['message.created', { body }, { id: 'x', offset: '1-0' }]);
      const frame = encoded.options.wsPreEncodedFrame[0];
      // The case's header: 7-bit, 16-bit or 64-bit payload length.
      expect(frame[1]).toBe(size < 100 ? frame.length - 2 : size < 65_000 ? 126 : 127);
      // Kept as the history keeps it: copied into a block (byte-blocks.ts) beside its stream id.
      const columns = new HistoryColumns();
      const queue = { room: 'u:default:1', seqs: new EntryQueue<number>() };
      columns.push('1700000000000-7', 1, Buffer.from('before'), 6, queue);
      const seq = columns.push('1700000000001-0', 2, frame, 10, queue);
      expect(columns.offset(seq)).toBe('1700000000001-0');
      const kept = columns.frame(seq);
      expect(kept.buffer).not.toBe(frame.buffer);
      const back = eventOfFrame(kept);
      expect(back.options.wsPreEncodedFrame[0].equals(frame)).toBe(true);
      expect(back.packets).toEqual(encoded.packets);
      expect(JSON.parse((back.packets[0] as string).slice(1))[1].body).toBe(body);
    },
  );
});

describe('the writes at connect', () => {
  let http: HttpServer | undefined;
  let io: PostbodeServer | undefined;
  let client: ClientSocket | undefined;
  afterEach(async () => {
    client?.disconnect();
    await new Promise<void>((resolve) =>
      io === undefined ? resolve() : io.close(() => resolve()),
    );
    client = undefined;
    io = undefined;
    http = undefined;
  });

  /**
   * A socket.io server with the gateway's connect path: `writeConnectTogether` last, then a
   * handler that replays `replayed` messages and emits the sync through `writeTo`. Counts the
   * writes of each connection's TCP socket after engine.io's OPEN packet.
   */
  async function serve(replayed: number, cork: boolean) {
    http = createServer();
    const server: PostbodeServer = new Server(http, { perMessageDeflate: false });
    io = server;
    const metrics = createMetrics(() => undefined);
    const logger = createLogger('warn');
    const { writeTo } = createDeliver(server, {
      metrics,
      logger,
      buffer: createSocketBuffer({ maxBytes: 1 << 20, metrics, logger }),
    });
    const writes: string[] = [];
    server.engine.on('connection', (raw: { transport: { socket?: { _socket?: object } } }) => {
      const tcp = raw.transport.socket?._socket as
        | { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void }
        | undefined;
      if (tcp === undefined) return;
      const [write, writev] = [tcp._write, tcp._writev];
      tcp._write = function (this: unknown, ...args: unknown[]) {
        writes.push('write');
        return write.apply(this, args);
      };
      tcp._writev = function (this: unknown, ...args: unknown[]) {
        writes.push(`writev(${(args[0] as unknown[]).length})`);
        return writev.apply(this, args);
      };
    });
    if (cork) server.use(writeConnectTogether);
    server.on('connection', (socket: PostbodeSocket) => {
      for (let i = 0; i < replayed; i += 1)
        writeTo(socket, encodeEventFrame(['message.created', { i }, { offset: `${i}-0` }]));
      writeTo(socket, encodeEventFrame(['postbode:sync', { replayed }]));
    });
    await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, writes };
  }

  async function connectAndRecord(url: string) {
    const events: unknown[][] = [];
    client = connectClient(url, { transports: ['websocket'], reconnection: false });
    client.onAny((...args: unknown[]) => events.push(args));
    await waitUntil(() => events.some((e) => e[0] === 'postbode:sync'), {
      description: 'postbode:sync',
    });
    return events;
  }

  it('CONNECT and postbode:sync are one write', async () => {
    const { url, writes } = await serve(0, true);
    const events = await connectAndRecord(url);
    expect(events).toEqual([['postbode:sync', { replayed: 0 }]]);
    expect(writes).toEqual(['writev(3)']);
  });

  it('with replayed messages: still one write, the messages before the sync, in order', async () => {
    const { url, writes } = await serve(5, true);
    const events = await connectAndRecord(url);
    expect(events.map((e) => e[0])).toEqual([
      ...Array.from({ length: 5 }, () => 'message.created'),
      'postbode:sync',
    ]);
    expect(events.slice(0, 5).map((e) => (e[1] as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(writes).toEqual(['writev(8)']);
  });

  it('without the middleware, the same frames take one write per frame (what it saves)', async () => {
    const { url, writes } = await serve(0, false);
    const events = await connectAndRecord(url);
    expect(events).toEqual([['postbode:sync', { replayed: 0 }]]);
    expect(writes).toEqual(['writev(2)', 'write']);
  });
});
