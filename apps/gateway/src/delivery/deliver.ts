import type { PostbodeServer, PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { SocketBuffer } from './socket-buffer.js';

// socket.io 4.8 already encodes a broadcast once: the adapter turns the packet into its text
// and a ready WebSocket frame, and hands both to every socket in the rooms. Each socket then
// goes through engine.io's per-packet path (a packet object, a write buffer, four events and
// callbacks) before engine.io writes that same frame with ws's `sendFrame`. For the sockets
// where engine.io would write at once anyway (WebSocket transport open and writable, nothing
// buffered, no upgrade under way, no per-message deflate), the frame is written directly:
// the same bytes in the same order, without engine.io's per-packet objects (measured with
// `pnpm bench` at the throughput limit: a fifth of the GC time, and less CPU per delivered
// message). Every other socket (long-polling, a transport busy sending, an upgrade) takes
// socket.io's own path. Relies on socket.io-adapter 2.5, engine.io 6 and ws 8 internals: their
// exact versions are dependencies of this package, a test checks that socket.io resolves
// those, and another fails when a plain WebSocket client stops taking the direct path
// (`postbode_socket_writes_total{path="direct"}`).

/** socket.io packet type of an event (socket.io-parser `PacketType.EVENT`). */
const EVENT = 2;

/** Options socket.io passes with a pre-encoded packet; `wsPreEncodedFrame` is set by `_encode`. */
interface PacketOptions {
  preEncoded: true;
  wsPreEncodedFrame?: unknown;
}

/** What is read of socket.io-adapter's in-memory adapter. */
interface EncodingAdapter {
  readonly rooms: Map<string, Set<string>>;
  _encode(
    packet: { type: number; data: unknown[]; nsp: string },
    options: PacketOptions,
  ): unknown[];
}

/** What is read of an engine.io socket and its transport. */
interface EngineConnection {
  readonly readyState: string;
  readonly upgrading: boolean;
  readonly writeBuffer: Array<{ readonly data?: unknown }>;
  readonly transport: {
    readonly name: string;
    readonly writable: boolean;
    readonly perMessageDeflate?: unknown;
    readonly socket?: {
      readonly readyState: number;
      /** Bytes queued for the client: the TCP socket's buffer plus ws's own. */
      readonly bufferedAmount: number;
      readonly _sender?: { sendFrame?: (frame: unknown, callback: () => void) => void };
      terminate(): void;
    };
  };
  close(discard: boolean): void;
}

/** What is read of socket.io's per-connection client. */
interface EngineClient {
  writeToEngine(encodedPackets: unknown[], options: PacketOptions): void;
}

/** ws `WebSocket.OPEN` */
const WS_OPEN = 1;
const ignore = (): void => undefined;

/** Emits `args` (event name first) to every socket in `rooms` once; returns how many it reached. */
export type Deliver = (rooms: string[], args: unknown[]) => number;

/** Options of {@link createDeliver}. */
export interface DeliverOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /**
   * The per-socket outgoing limit (`POSTBODE_MAX_SOCKET_BUFFER_BYTES`): bytes that may wait to
   * be sent to one socket, whatever path wrote them; past it the socket's connection is cut
   * (it reconnects and recovers from its cursor).
   */
  buffer: SocketBuffer;
}

/** Creates the delivery function of the default namespace of `io`. */
export function createDeliver(io: PostbodeServer, options: DeliverOptions): Deliver {
  const { metrics, buffer } = options;
  const maxSocketBufferBytes = buffer.maxBytes;
  const namespace = io.of('/');
  const adapter = namespace.adapter as unknown as EncodingAdapter;
  const sockets = namespace.sockets;

  /** Sockets over their buffer limit during one delivery: cut once the loop is done. */
  const slow: Array<[EngineConnection, PostbodeSocket]> = [];

  /** Writes one socket's copy; true when it took the direct path. */
  const write = (socket: PostbodeSocket, encoded: unknown[], options: PacketOptions): boolean => {
    const frame = options.wsPreEncodedFrame;
    const conn = socket.conn as unknown as EngineConnection;
    // Cut, and about to be closed: nothing more is queued for it.
    if (buffer.isCut(conn)) return false;
    const { transport } = conn;
    const ws = transport.socket;
    const sendFrame = ws?._sender?.sendFrame;
    if (
      frame !== undefined &&
      sendFrame !== undefined &&
      conn.readyState === 'open' &&
      !conn.upgrading &&
      conn.writeBuffer.length === 0 &&
      transport.name === 'websocket' &&
      transport.writable &&
      !transport.perMessageDeflate &&
      ws?.readyState === WS_OPEN
    ) {
      sendFrame.call(ws?._sender, frame, ignore);
      if (ws.bufferedAmount > maxSocketBufferBytes) slow.push([conn, socket]);
      return true;
    }
    (socket.client as unknown as EngineClient).writeToEngine(encoded, options);
    if (buffer.queued(conn) > maxSocketBufferBytes) slow.push([conn, socket]);
    return false;
  };

  return (rooms, args) => {
    const options: PacketOptions = { preEncoded: true };
    const encoded = adapter._encode({ type: EVENT, data: args, nsp: namespace.name }, options);
    let reached = 0;
    let direct = 0;
    // A socket in several of the rooms gets the message once.
    const seen = rooms.length > 1 ? new Set<string>() : undefined;
    for (const room of rooms) {
      const ids = adapter.rooms.get(room);
      if (ids === undefined) continue;
      for (const id of ids) {
        if (seen !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const socket = sockets.get(id);
        if (socket === undefined) continue;
        if (write(socket, encoded, options)) direct += 1;
        reached += 1;
      }
    }
    for (const [conn, socket] of slow.splice(0)) buffer.cut(conn, socket);
    if (direct > 0) metrics.socketWrites.add('direct', direct);
    if (reached > direct) metrics.socketWrites.add('engine', reached - direct);
    return reached;
  };
}
